using System.Globalization;
using System.Text.Json;

namespace Songjiang.Catalog.Api.Features;

/// <summary>
/// JSON Schema validation errors as an applicant reads them: in Chinese, naming the field by its schema
/// <c>title</c> (its name only when it has none), with the limit the field broke.
/// </summary>
public static class FormErrorText
{
    /// <summary>The field's title at a JSON pointer into a form, read from the form's schema.</summary>
    public static string FieldTitle(JsonElement schema, string pointer) =>
        SchemaAt(schema, pointer) is { } field && field.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String
            ? title.GetString()!
            : LastSegment(pointer);

    /// <summary>The Chinese message for a failed keyword at a JSON pointer into the form.</summary>
    public static string Message(JsonElement schema, string pointer, string keyword)
    {
        var field = SchemaAt(schema, pointer);
        var name = $"“{FieldTitle(schema, pointer)}”";
        string? Limit(string key) => field is { } f && f.TryGetProperty(key, out var v) ? v.GetRawText().Trim('"') : null;
        return keyword switch
        {
            "required" => $"请填写{name}。",
            "type" => $"{name}的填写类型不正确，应为{TypeName(Limit("type"))}。",
            "minLength" => Limit("minLength") is "1" ? $"请填写{name}。" : $"{name}至少需要{Limit("minLength")}个字。",
            "maxLength" => $"{name}不能超过{Limit("maxLength")}个字。",
            "pattern" => $"{name}的格式不正确。",
            "format" => Limit("format") switch
            {
                "date" => $"{name}应为日期，如 2026-12-08。",
                "date-time" => $"{name}应为带时区的时间，如 2026-12-08T09:30:00+08:00。",
                "email" => $"{name}应为有效的电子邮箱地址。",
                _ => $"{name}的格式不正确。",
            },
            "enum" => $"{name}应为以下选项之一：{Options(field)}。",
            "const" => Limit("const") is "true" ? $"请确认{name}。" : $"{name}只能为 {Limit("const")}。",
            "minimum" => $"{name}不能小于 {Limit("minimum")}。",
            "exclusiveMinimum" => $"{name}应大于 {Limit("exclusiveMinimum")}。",
            "maximum" => $"{name}不能大于 {Limit("maximum")}。",
            "exclusiveMaximum" => $"{name}应小于 {Limit("exclusiveMaximum")}。",
            "minItems" => $"{name}至少需要 {Limit("minItems")} 项。",
            "maxItems" => $"{name}最多 {Limit("maxItems")} 项。",
            "uniqueItems" => $"{name}中有重复的项。",
            // A property that additionalProperties: false refuses fails the false schema, which reports no keyword.
            "additionalProperties" or "unevaluatedProperties" or "false" or "" => $"表单中没有{name}这一项，请删除。",
            _ => $"{name}填写有误。",
        };
    }

    private static string TypeName(string? type) => type switch
    {
        "string" => "文字",
        "integer" => "整数",
        "number" => "数字",
        "boolean" => "是或否",
        "array" => "列表",
        "object" => "一组信息",
        _ => "正确的类型",
    };

    private static string Options(JsonElement? field)
    {
        if (field is not { } f || !f.TryGetProperty("enum", out var values) || values.ValueKind != JsonValueKind.Array)
        {
            return "规定的取值";
        }
        // x-enumNames (if the schema gives them) are what a form shows beside each value.
        var names = f.TryGetProperty("x-enumNames", out var n) && n.ValueKind == JsonValueKind.Array && n.GetArrayLength() == values.GetArrayLength()
            ? n.EnumerateArray().Select(e => e.ToString()).ToList()
            : values.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()).ToList();
        return string.Join("、", names);
    }

    private static string LastSegment(string pointer)
    {
        var segments = pointer.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length == 0 ? "表单" : Unescape(segments[^1]);
    }

    private static string Unescape(string segment) => segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);

    /// <summary>The subschema describing the value at a JSON pointer (through <c>properties</c> and <c>items</c>).</summary>
    private static JsonElement? SchemaAt(JsonElement schema, string pointer)
    {
        var current = schema;
        foreach (var raw in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var segment = Unescape(raw);
            if (current.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
                && properties.TryGetProperty(segment, out var property))
            {
                current = property;
            }
            else if (int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out _)
                && current.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Object)
            {
                current = items;
            }
            else
            {
                return null;
            }
        }
        return current;
    }
}
