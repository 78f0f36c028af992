using System.Diagnostics.CodeAnalysis;

namespace Songjiang.SharedKernel;

/// <summary>
/// A unified social credit code (统一社会信用代码) per GB 32100-2015: 18 characters from a 31-character alphabet
/// (no I, O, S, V, Z), the last one a check character over the first 17.
/// </summary>
public readonly record struct UnifiedSocialCreditCode
{
    /// <summary>The alphabet in value order; the index of a character is its value.</summary>
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    /// <summary>Position weights 3^(i) mod 31 for the first 17 characters (GB 32100-2015, 5.2).</summary>
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>Length of a code.</summary>
    public const int Length = 18;

    private UnifiedSocialCreditCode(string value) => Value = value;

    /// <summary>The code, upper case.</summary>
    public string Value { get; }

    /// <summary>The six-digit administrative division code of the registering authority (positions 3–8).</summary>
    public string DivisionCode => Value.Substring(2, 6);

    /// <inheritdoc />
    public override string ToString() => Value;

    /// <summary>Parses a code, or says in plain words why it is not one.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out UnifiedSocialCreditCode? code, [NotNullWhen(false)] out string? error)
    {
        code = null;
        var candidate = text?.Trim().ToUpperInvariant() ?? "";
        if (candidate.Length != Length)
        {
            error = $"A unified social credit code has {Length} characters; '{text}' has {candidate.Length}.";
            return false;
        }
        for (var i = 0; i < Length; i++)
        {
            if (Alphabet.IndexOf(candidate[i], StringComparison.Ordinal) < 0)
            {
                error = $"Character {i + 1} ('{candidate[i]}') is not allowed in a unified social credit code (letters I, O, S, V and Z are never used).";
                return false;
            }
        }
        for (var i = 2; i < 8; i++)
        {
            if (!char.IsAsciiDigit(candidate[i]))
            {
                error = "Characters 3 to 8 of a unified social credit code are the administrative division code and must be digits.";
                return false;
            }
        }
        var expected = CheckCharacter(candidate.AsSpan(0, Length - 1));
        if (candidate[Length - 1] != expected)
        {
            error = $"The check character of '{candidate}' is wrong: the first 17 characters give '{expected}', not '{candidate[Length - 1]}'.";
            return false;
        }
        code = new UnifiedSocialCreditCode(candidate);
        error = null;
        return true;
    }

    /// <summary>Parses a code or throws <see cref="FormatException"/> with the reason.</summary>
    public static UnifiedSocialCreditCode Parse(string text) =>
        TryParse(text, out var code, out var error) ? code.Value : throw new FormatException(error);

    /// <summary>
    /// The code of the enterprise registered by market regulation (登记管理部门 9, 机构类别 1) in the given division
    /// with the given serial of the register's own sequence: a GB 11714 organisation code <c>MA</c> followed by the
    /// serial in six characters of the code alphabet and its check character, then the GB 32100 check character.
    /// Distinct serials give distinct codes. Returns null for a serial whose organisation check would be
    /// <c>X</c>, which the credit code alphabet lacks: the register skips that serial.
    /// </summary>
    public static UnifiedSocialCreditCode? ForEnterprise(string divisionCode, long serial)
    {
        if (divisionCode is not { Length: 6 } || !divisionCode.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("A division code has six digits.", nameof(divisionCode));
        }
        const int SerialLength = 6;
        var capacity = (long)Math.Pow(Alphabet.Length, SerialLength);
        ArgumentOutOfRangeException.ThrowIfNegative(serial);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(serial, capacity);
        Span<char> organisation = stackalloc char[9];
        organisation[0] = 'M';
        organisation[1] = 'A';
        var rest = serial;
        for (var i = 8 - 1; i >= 2; i--)
        {
            organisation[i] = Alphabet[(int)(rest % Alphabet.Length)];
            rest /= Alphabet.Length;
        }
        // GB 11714 check character over the first eight.
        int[] organisationWeights = [3, 7, 9, 10, 5, 8, 4, 2];
        var sum = 0;
        for (var i = 0; i < 8; i++)
        {
            sum += OrganisationValue(organisation[i]) * organisationWeights[i];
        }
        var check = 11 - (sum % 11);
        if (check == 10)
        {
            return null;
        }
        organisation[8] = check == 11 ? '0' : (char)('0' + check);
        var first17 = string.Concat("91", divisionCode, new string(organisation));
        return new UnifiedSocialCreditCode(first17 + CheckCharacter(first17));
    }

    // GB 11714: digits are their value, letters A–Z are 10–35.
    private static int OrganisationValue(char c) => char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;

    /// <summary>The check character for the first 17 characters of a code.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != Length - 1)
        {
            throw new ArgumentException($"Expected {Length - 1} characters.", nameof(first17));
        }
        var sum = 0;
        for (var i = 0; i < first17.Length; i++)
        {
            var value = Alphabet.IndexOf(first17[i], StringComparison.Ordinal);
            if (value < 0)
            {
                throw new ArgumentException($"'{first17[i]}' is not in the code alphabet.", nameof(first17));
            }
            sum += value * Weights[i];
        }
        var check = 31 - (sum % 31);
        return Alphabet[check == 31 ? 0 : check];
    }
}
