using System.Globalization;

namespace Songjiang.Workflows.Expressions;

internal enum TokenKind { Number, String, Identifier, Operator, LeftParen, RightParen, LeftBracket, RightBracket, Comma, Dot, End }

internal readonly record struct Token(TokenKind Kind, string Text, int Position);

/// <summary>Splits an expression into tokens; anything outside the small grammar is rejected here.</summary>
internal static class Lexer
{
    private static readonly string[] Operators = ["==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/"];

    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            if (char.IsDigit(c))
            {
                while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '.')) i++;
                var number = text[start..i];
                if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _))
                    throw new ExpressionException($"invalid number '{number}' at {start}");
                tokens.Add(new Token(TokenKind.Number, number, start));
            }
            else if (c is '\'' or '"')
            {
                var end = text.IndexOf(c, i + 1);
                if (end < 0) throw new ExpressionException($"unterminated string at {start}");
                tokens.Add(new Token(TokenKind.String, text[(i + 1)..end], start));
                i = end + 1;
            }
            else if (char.IsLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_')) i++;
                tokens.Add(new Token(TokenKind.Identifier, text[start..i], start));
            }
            else
            {
                tokens.Add(ReadPunctuation(text, ref i));
            }
        }

        tokens.Add(new Token(TokenKind.End, "", text.Length));
        return tokens;
    }

    private static Token ReadPunctuation(string text, ref int i)
    {
        var start = i;
        var single = text[i] switch
        {
            '(' => TokenKind.LeftParen,
            ')' => TokenKind.RightParen,
            '[' => TokenKind.LeftBracket,
            ']' => TokenKind.RightBracket,
            ',' => TokenKind.Comma,
            '.' => TokenKind.Dot,
            _ => TokenKind.End,
        };
        if (single != TokenKind.End)
        {
            i++;
            return new Token(single, text[start..i], start);
        }

        foreach (var op in Operators)
        {
            if (string.CompareOrdinal(text, i, op, 0, op.Length) == 0)
            {
                i += op.Length;
                return new Token(TokenKind.Operator, op, start);
            }
        }

        throw new ExpressionException($"unexpected character '{text[i]}' at {start}");
    }
}
