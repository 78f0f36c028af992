using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Songjiang.Licenses.Api.Domain;

/// <summary>
/// The national electronic licence identifier of GB/T 36904-2018 (电子证照 标识规范):
/// <c>1.2.156.3005.2.{licence type code}.{issuer USCC}.{serial}.{version, 3 digits}.{check character}</c>.
/// </summary>
/// <remarks>
/// The check character is ISO/IEC 7064 MOD 37,36 (the hybrid system over 0–9 and A–Z) computed, as the provincial
/// platforms do, over the part after the prefix <c>1.2.156.3005.2.</c> with the dots removed.
/// </remarks>
public static class NationalLicenceIdentifier
{
    /// <summary>The object identifier arc of electronic licences (GB/T 36904-2018).</summary>
    public const string Prefix = "1.2.156.3005.2.";

    /// <summary>The longest identifier the platform stores.</summary>
    public const int MaxLength = 128;

    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const int Modulus = 36;

    /// <summary>The identifier of version <paramref name="version"/> of a licence.</summary>
    public static string Compose(string typeCode, string issuerUscc, string serial, int version)
    {
        if (version is < 1 or > 999)
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, "A licence version has three digits.");
        }
        var body = string.Join('.', Part(typeCode, nameof(typeCode)), Part(issuerUscc, nameof(issuerUscc)), Part(serial, nameof(serial)),
            version.ToString("000", CultureInfo.InvariantCulture));
        return Prefix + body + "." + CheckCharacter(body.Replace(".", "", StringComparison.Ordinal));
    }

    /// <summary>The ISO/IEC 7064 MOD 37,36 check character of <paramref name="text"/> (digits and capital letters).</summary>
    public static char CheckCharacter(string text)
    {
        var product = Modulus;
        foreach (var character in text)
        {
            var value = Alphabet.IndexOf(char.ToUpperInvariant(character), StringComparison.Ordinal);
            if (value < 0)
            {
                throw new ArgumentException($"'{character}' is not a digit or a Latin capital letter.", nameof(text));
            }
            var sum = (product + value) % Modulus;
            product = (sum == 0 ? Modulus : sum) * 2 % (Modulus + 1);
        }
        return Alphabet[(Modulus + 1 - product) % Modulus];
    }

    /// <summary>Whether <paramref name="text"/> is meant as a national identifier (it starts with the licence arc).</summary>
    public static bool LooksLikeOne(string? text) => text is not null && text.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Checks the structure and the check character; <paramref name="error"/> says in Chinese what is wrong.</summary>
    public static bool IsValid(string? text, [NotNullWhen(false)] out string? error)
    {
        if (!LooksLikeOne(text) || text!.Length > MaxLength)
        {
            error = $"电子证照标识应以 {Prefix} 开头，且不超过 {MaxLength} 个字符。";
            return false;
        }
        var parts = text[Prefix.Length..].Split('.');
        if (parts.Length != 5 || parts.Any(p => p.Length == 0 || !p.All(IsAlphanumeric)))
        {
            error = "电子证照标识应由证照类型代码、颁发机构代码、流水号、版本号和校验位五段组成，每段为数字或大写字母。";
            return false;
        }
        if (parts[3].Length != 3 || !parts[3].All(char.IsAsciiDigit))
        {
            error = "电子证照标识的版本号应为 3 位数字。";
            return false;
        }
        if (parts[4].Length != 1 || parts[4][0] != CheckCharacter(string.Concat(parts[..4])))
        {
            error = "电子证照标识的校验位不正确（GB/T 36904，ISO/IEC 7064 MOD 37,36）。";
            return false;
        }
        error = null;
        return true;
    }

    private static bool IsAlphanumeric(char c) => char.IsAsciiDigit(c) || char.IsAsciiLetterUpper(c);

    private static string Part(string value, string name) =>
        value.Length > 0 && value.All(IsAlphanumeric)
            ? value
            : throw new ArgumentException("A part of the identifier holds digits and capital letters only.", name);
}
