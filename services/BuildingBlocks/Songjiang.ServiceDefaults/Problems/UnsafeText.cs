using System.Globalization;
using System.Text;

namespace Songjiang.ServiceDefaults.Problems;

/// <summary>
/// Characters no stored text may carry: NUL and the other control characters (tab, line feed and carriage return
/// excepted), lone UTF-16 surrogates (not Unicode at all; PostgreSQL refuses them and NUL), and the bidirectional
/// embedding, override and isolate controls that make a name read differently from what it is
/// (<see href="https://www.unicode.org/reports/tr9/">UAX #9</see>; CVE-2021-42574 "Trojan Source").
/// </summary>
public static class UnsafeText
{
    /// <summary>Why <paramref name="text"/> may not be stored, in Chinese, or null when it may.</summary>
    public static string? Problem(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (Describe(c) is { } problem)
            {
                return problem;
            }
        }
        return null;
    }

    /// <summary>
    /// The text without any character <see cref="Problem"/> objects to, and without line breaks and tabs either (for
    /// one-line values such as file names).
    /// </summary>
    public static string StripForName(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else if (Describe(c) is null && c is not ('\t' or '\n' or '\r'))
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    private static string? Describe(char c) => c switch
    {
        '\0' => "含有空字符（U+0000），请删除后重试。",
        '\t' or '\n' or '\r' => null,
        < ' ' or (>= '\u007F' and <= '\u009F') => $"含有控制字符（U+{Hex(c)}），请删除后重试。",
        (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') =>
            $"含有双向文本控制字符（U+{Hex(c)}），它会让文字显示得与实际内容不同，请删除后重试。",
        _ when char.IsSurrogate(c) => $"含有不成对的代理字符（U+{Hex(c)}），不是有效的 Unicode 文本。",
        _ => null,
    };

    private static string Hex(char c) => ((int)c).ToString("X4", CultureInfo.InvariantCulture);
}
