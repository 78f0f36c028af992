using Songjiang.Licenses.Api.Domain;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Songjiang.Licenses.Api.Documents;

/// <summary>Checks a licence's type-specific fields against its type and returns them normalised for sealing.</summary>
public static class FieldValidator
{
    /// <summary>Adds an error per bad field to <paramref name="errors"/>; returns the fields in the type's order.</summary>
    public static JsonObject Validate(LicenceType type, IReadOnlyDictionary<string, JsonElement>? fields, Dictionary<string, string[]> errors)
    {
        fields ??= new Dictionary<string, JsonElement>();
        var result = new JsonObject();
        var known = type.Fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var unknown in fields.Keys.Where(name => !known.Contains(name)))
        {
            errors[$"fields.{unknown}"] = [$"{type.Name}没有“{unknown}”这一项；可填写的项目为 {string.Join("、", known)}。"];
        }
        foreach (var definition in type.Fields)
        {
            var key = $"fields.{definition.Name}";
            if (!fields.TryGetValue(definition.Name, out var value) || value.ValueKind == JsonValueKind.Null
                || (value.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetString())))
            {
                if (definition.Required)
                {
                    errors[key] = [$"{type.Name}须填写{definition.Label}（{definition.Name}）。"];
                }
                continue;
            }
            if (Normalise(definition, value) is { } error)
            {
                errors[key] = [error.Error];
            }
            else
            {
                result[definition.Name] = Convert(definition, value);
            }
        }
        return result;
    }

    private static FieldError? Normalise(LicenceFieldDefinition definition, JsonElement value)
    {
        switch (definition.Kind)
        {
            case LicenceFieldKind.String:
                if (value.ValueKind != JsonValueKind.String)
                {
                    return new FieldError($"{definition.Label}须为文字。");
                }
                var text = value.GetString()!.Trim();
                return definition.MaxLength is { } max && text.Length > max
                    ? new FieldError($"{definition.Label}不超过 {max} 个字符（现有 {text.Length} 个）。")
                    : null;
            case LicenceFieldKind.Date:
                return value.ValueKind == JsonValueKind.String
                    && DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                    ? null
                    : new FieldError($"{definition.Label}须为日期，格式为 yyyy-MM-dd。");
            case LicenceFieldKind.Number:
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var number))
                {
                    return new FieldError($"{definition.Label}须为数字。");
                }
                return definition.Minimum is { } minimum && number < minimum
                    ? new FieldError($"{definition.Label}不能小于 {minimum.ToString(CultureInfo.InvariantCulture)}。")
                    : null;
            case LicenceFieldKind.Enum:
                var values = definition.Values ?? [];
                return value.ValueKind == JsonValueKind.String && values.Contains(value.GetString()!.Trim(), StringComparer.Ordinal)
                    ? null
                    : new FieldError($"{definition.Label}须为以下之一：{string.Join("、", values)}。");
            default:
                return new FieldError($"{definition.Label}的字段类型不受支持。");
        }
    }

    private static JsonNode Convert(LicenceFieldDefinition definition, JsonElement value) => definition.Kind switch
    {
        // Numbers are sealed as doubles (RFC 8785); decimals with more precision than a double would not round-trip.
        LicenceFieldKind.Number => JsonValue.Create(value.GetDouble()),
        _ => JsonValue.Create(value.GetString()!.Trim()),
    };

    private sealed record FieldError(string Error);
}
