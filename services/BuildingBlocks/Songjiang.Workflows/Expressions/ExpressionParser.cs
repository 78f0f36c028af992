using System.Globalization;

namespace Songjiang.Workflows.Expressions;

/// <summary>
/// Recursive-descent parser for decision conditions and service-task payloads. The grammar has no assignment,
/// loops or calls other than the whitelisted functions, so a definition can never run arbitrary code.
/// </summary>
internal sealed class ExpressionParser
{
    private static readonly HashSet<string> Keywords = ["and", "or", "not", "in", "true", "false", "null"];
    private readonly List<Token> _tokens;
    private int _position;

    private ExpressionParser(string text) => _tokens = Lexer.Tokenize(text);

    public static ExpressionNode Parse(string text)
    {
        var parser = new ExpressionParser(text);
        var node = parser.ParseOr();
        if (parser.Peek.Kind != TokenKind.End)
            throw new ExpressionException($"unexpected '{parser.Peek.Text}' at {parser.Peek.Position}");
        return node;
    }

    private Token Peek => _tokens[_position];

    private Token Next() => _tokens[_position++];

    private bool AcceptWord(string word)
    {
        if (Peek.Kind != TokenKind.Identifier || Peek.Text != word) return false;
        _position++;
        return true;
    }

    private bool AcceptOperator(params string[] ops)
    {
        if (Peek.Kind != TokenKind.Operator || !ops.Contains(Peek.Text)) return false;
        _position++;
        return true;
    }

    private void Expect(TokenKind kind, string what)
    {
        if (Next() is var token && token.Kind != kind)
            throw new ExpressionException($"expected {what} at {token.Position}, found '{token.Text}'");
    }

    private ExpressionNode ParseOr()
    {
        var left = ParseAnd();
        while (AcceptWord("or")) left = new Logical("or", left, ParseAnd());
        return left;
    }

    private ExpressionNode ParseAnd()
    {
        var left = ParseNot();
        while (AcceptWord("and")) left = new Logical("and", left, ParseNot());
        return left;
    }

    private ExpressionNode ParseNot() => AcceptWord("not") ? new Not(ParseNot()) : ParseComparison();

    private ExpressionNode ParseComparison()
    {
        var left = ParseAdditive();
        var op = Peek.Text;
        if (AcceptOperator("==", "!=", "<", "<=", ">", ">="))
            return new Binary(op, left, ParseAdditive());
        if (AcceptWord("in"))
            return new Membership(left, ParseAdditive(), Negated: false);
        if (Peek.Kind == TokenKind.Identifier && Peek.Text == "not" && _tokens[_position + 1].Text == "in")
        {
            _position += 2;
            return new Membership(left, ParseAdditive(), Negated: true);
        }

        return left;
    }

    private ExpressionNode ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (Peek.Text is "+" or "-" && Peek.Kind == TokenKind.Operator)
            left = new Binary(Next().Text, left, ParseMultiplicative());
        return left;
    }

    private ExpressionNode ParseMultiplicative()
    {
        var left = ParseUnary();
        while (Peek.Text is "*" or "/" && Peek.Kind == TokenKind.Operator)
            left = new Binary(Next().Text, left, ParseUnary());
        return left;
    }

    private ExpressionNode ParseUnary() => AcceptOperator("-") ? new Negate(ParseUnary()) : ParsePrimary();

    private ExpressionNode ParsePrimary()
    {
        var token = Next();
        switch (token.Kind)
        {
            case TokenKind.Number:
                return new Literal(decimal.Parse(token.Text, CultureInfo.InvariantCulture));
            case TokenKind.String:
                return new Literal(token.Text);
            case TokenKind.LeftParen:
                var inner = ParseOr();
                Expect(TokenKind.RightParen, "')'");
                return inner;
            case TokenKind.LeftBracket:
                return new ListLiteral(ParseArguments(TokenKind.RightBracket, "']'"));
            case TokenKind.Identifier:
                return ParseIdentifier(token);
            default:
                throw new ExpressionException($"unexpected '{token.Text}' at {token.Position}");
        }
    }

    private ExpressionNode ParseIdentifier(Token token)
    {
        switch (token.Text)
        {
            case "true": return new Literal(true);
            case "false": return new Literal(false);
            case "null": return new Literal(null);
        }

        if (Keywords.Contains(token.Text))
            throw new ExpressionException($"unexpected '{token.Text}' at {token.Position}");

        if (Peek.Kind == TokenKind.LeftParen)
        {
            _position++;
            if (!FunctionCall.Arity.TryGetValue(token.Text, out var arity))
                throw new ExpressionException($"unknown function '{token.Text}' at {token.Position}");
            var arguments = ParseArguments(TokenKind.RightParen, "')'");
            if (arguments.Count != arity)
                throw new ExpressionException($"{token.Text}() takes {arity} argument(s)");
            return new FunctionCall(token.Text, arguments);
        }

        var segments = new List<string> { token.Text };
        while (Peek.Kind == TokenKind.Dot)
        {
            _position++;
            var segment = Next();
            if (segment.Kind != TokenKind.Identifier)
                throw new ExpressionException($"expected a field name at {segment.Position}");
            segments.Add(segment.Text);
        }

        return new PathReference(segments);
    }

    private List<ExpressionNode> ParseArguments(TokenKind close, string closeText)
    {
        var items = new List<ExpressionNode>();
        if (Peek.Kind == close)
        {
            _position++;
            return items;
        }

        do items.Add(ParseOr());
        while (Peek.Kind == TokenKind.Comma && Next().Kind == TokenKind.Comma);
        Expect(close, closeText);
        return items;
    }
}
