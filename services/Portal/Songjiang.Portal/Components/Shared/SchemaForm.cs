using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Primitives;

namespace Songjiang.Portal.Components.Shared;

/// <summary>One field of a form generated from a matter's JSON Schema, labelled with the schema's Chinese title.</summary>
public sealed record SchemaField(
    string Name, string Title, string Type, bool Required, IReadOnlyList<string> Choices, bool Multiple,
    int? MinLength, int? MaxLength, string? Pattern, decimal? Minimum, decimal? Maximum)
{
    /// <summary>The HTML input name.</summary>
    public string InputName => "form." + Name;

    /// <summary>The HTML id.</summary>
    public string Id => "f-" + Name;

    /// <summary>The keys the APIs use for this field's errors.</summary>
    public string[] ErrorKeys => ["form/" + Name, "form." + Name, "/" + Name, Name];
}

/// <summary>Reads a matter's form schema into fields, and a posted form back into the JSON the schema describes.</summary>
public static class SchemaForm
{
    /// <summary>The fields of an object schema, in the schema's order.</summary>
    public static IReadOnlyList<SchemaField> Fields(JsonElement schema)
    {
        var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()).ToHashSet() : [];
        if (!schema.TryGetProperty("properties", out var properties))
        {
            return [];
        }
        var fields = new List<SchemaField>();
        foreach (var property in properties.EnumerateObject())
        {
            var p = property.Value;
            var type = p.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "string";
            var choices = new List<string>();
            var multiple = false;
            if (p.TryGetProperty("enum", out var values))
            {
                choices.AddRange(values.EnumerateArray().Select(v => v.ToString()));
            }
            else if (type == "array" && p.TryGetProperty("items", out var items) && items.TryGetProperty("enum", out var itemValues))
            {
                multiple = true;
                choices.AddRange(itemValues.EnumerateArray().Select(v => v.ToString()));
            }
            fields.Add(new SchemaField(
                property.Name,
                p.TryGetProperty("title", out var title) ? title.GetString() ?? property.Name : property.Name,
                type,
                required.Contains(property.Name),
                choices,
                multiple,
                Int(p, "minLength"), Int(p, "maxLength"),
                p.TryGetProperty("pattern", out var pattern) ? pattern.GetString() : null,
                Number(p, "minimum"), Number(p, "maximum")));
        }
        return fields;
    }

    /// <summary>The posted values as the JSON object the schema describes; empty inputs are left out.</summary>
    public static JsonObject Read(IReadOnlyList<SchemaField> fields, Func<string, StringValues> form)
    {
        var result = new JsonObject();
        foreach (var field in fields)
        {
            var posted = form(field.InputName);
            if (field.Type == "boolean")
            {
                result[field.Name] = posted.Any(v => v == "true");
                continue;
            }
            if (field.Multiple || field.Type == "array")
            {
                var items = new JsonArray();
                foreach (var value in posted.Where(v => !string.IsNullOrWhiteSpace(v)))
                {
                    items.Add(value);
                }
                result[field.Name] = items;
                continue;
            }
            var text = posted.FirstOrDefault()?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }
            result[field.Name] = field.Type switch
            {
                "integer" when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole) => whole,
                "number" when decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) => number,
                _ => text,
            };
        }
        return result;
    }

    /// <summary>A stored form value as text for display.</summary>
    public static string Display(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => string.Join("、", value.EnumerateArray().Select(Display)),
        JsonValueKind.True => "是",
        JsonValueKind.False => "否",
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Null or JsonValueKind.Undefined => "—",
        _ => value.ToString(),
    };

    private static int? Int(JsonElement p, string name) => p.TryGetProperty(name, out var v) && v.TryGetInt32(out var i) ? i : null;

    private static decimal? Number(JsonElement p, string name) => p.TryGetProperty(name, out var v) && v.TryGetDecimal(out var d) ? d : null;
}
