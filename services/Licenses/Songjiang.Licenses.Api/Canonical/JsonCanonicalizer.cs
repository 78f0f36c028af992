using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Songjiang.Licenses.Api.Canonical;

/// <summary>
/// The JSON Canonicalization Scheme (RFC 8785, https://www.rfc-editor.org/rfc/rfc8785): object members sorted by
/// the UTF-16 code units of their names, no whitespace, strings in the minimal escaping of ECMAScript's
/// <c>JSON.stringify</c>, numbers as ECMAScript serialises an IEEE 754 double. Two documents that differ only in
/// member order or formatting canonicalise to the same bytes, so a seal over the canonical form survives them.
/// </summary>
public static class JsonCanonicalizer
{
    /// <summary>Canonicalises a JSON text; throws <see cref="JsonCanonicalizationException"/> when it is not I-JSON.</summary>
    public static byte[] Canonicalize(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return Canonicalize(document.RootElement);
        }
        catch (JsonException exception)
        {
            throw new JsonCanonicalizationException($"不是有效的 JSON：{exception.Message}");
        }
    }

    /// <summary>Canonicalises a parsed JSON value to UTF-8 bytes.</summary>
    public static byte[] Canonicalize(JsonElement element) => Encoding.UTF8.GetBytes(CanonicalString(element));

    /// <summary>Canonicalises a parsed JSON value to a string.</summary>
    public static string CanonicalString(JsonElement element)
    {
        var builder = new StringBuilder(256);
        try
        {
            Write(builder, element, "$");
        }
        catch (InvalidOperationException)
        {
            // The reader refuses escaped lone surrogates when it materialises a string.
            throw new JsonCanonicalizationException("有字符串不是有效的 UTF-16（含不成对的代理项），I-JSON 不允许。");
        }
        return builder.ToString();
    }

    private static void Write(StringBuilder output, JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(output, element, path);
                break;
            case JsonValueKind.Array:
                output.Append('[');
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (index > 0)
                    {
                        output.Append(',');
                    }
                    Write(output, item, $"{path}[{index}]");
                    index++;
                }
                output.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(output, element.GetString()!, path);
                break;
            case JsonValueKind.Number:
                // RFC 8785 §3.2.2.3: numbers are IEEE 754 doubles, whatever digits the text had.
                if (!double.TryParse(element.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    || !double.IsFinite(number))
                {
                    throw new JsonCanonicalizationException($"{path}：数值 {element.GetRawText()} 超出 IEEE 754 双精度浮点数的范围。");
                }
                output.Append(EcmaScriptNumber.ToString(number));
                break;
            case JsonValueKind.True:
                output.Append("true");
                break;
            case JsonValueKind.False:
                output.Append("false");
                break;
            case JsonValueKind.Null:
                output.Append("null");
                break;
            default:
                throw new JsonCanonicalizationException($"{path}：不支持的 JSON 值。");
        }
    }

    private static void WriteObject(StringBuilder output, JsonElement element, string path)
    {
        var members = new List<JsonProperty>();
        foreach (var member in element.EnumerateObject())
        {
            members.Add(member);
        }
        // Ordinal comparison of .NET strings is comparison of UTF-16 code units, as §3.2.3 requires.
        members.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        output.Append('{');
        for (var i = 0; i < members.Count; i++)
        {
            if (i > 0)
            {
                if (string.Equals(members[i].Name, members[i - 1].Name, StringComparison.Ordinal))
                {
                    // I-JSON (RFC 7493) forbids duplicate names; which one a parser keeps is undefined.
                    throw new JsonCanonicalizationException($"{path}：成员“{members[i].Name}”重复出现，I-JSON 不允许。");
                }
                output.Append(',');
            }
            WriteString(output, members[i].Name, path);
            output.Append(':');
            Write(output, members[i].Value, $"{path}.{members[i].Name}");
        }
        output.Append('}');
    }

    private static void WriteString(StringBuilder output, string value, string path)
    {
        output.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                output.Append(c).Append(value[++i]);
                continue;
            }
            if (char.IsSurrogate(c))
            {
                throw new JsonCanonicalizationException($"{path}：字符串含不成对的代理项（U+{(int)c:X4}），I-JSON 不允许。");
            }
            switch (c)
            {
                case '"': output.Append("\\\""); break;
                case '\\': output.Append("\\\\"); break;
                case '\b': output.Append("\\b"); break;
                case '\f': output.Append("\\f"); break;
                case '\n': output.Append("\\n"); break;
                case '\r': output.Append("\\r"); break;
                case '\t': output.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        output.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        output.Append(c);
                    }
                    break;
            }
        }
        output.Append('"');
    }
}

/// <summary>The input cannot be canonicalised: not JSON, or JSON outside I-JSON (duplicate names, lone surrogates, huge numbers).</summary>
public sealed class JsonCanonicalizationException(string message) : Exception(message);
