using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Primitives;

namespace Songjiang.Portal.Components.Shared;

/// <summary>
/// The policy editor's criteria builder: rows of field, operator and value, all of which must hold, turned into the
/// policy radar's criteria document (<c>{"all": [{"field", "op", "value"}]}</c>).
/// </summary>
public static class CriteriaBuilder
{
    /// <summary>How many condition rows the editor offers.</summary>
    public const int Rows = 4;

    /// <summary>The fields an officer can test, with their kind: number, text, boolean or qualification.</summary>
    public static readonly IReadOnlyList<(string Name, string Kind)> Fields =
    [
        ("industryCode", "text"), ("location", "text"), ("yearsSinceFounding", "number"), ("employees", "number"),
        ("annualRevenue", "number"), ("rdSpending", "number"), ("rdRatio", "number"), ("sizeClass", "text"),
        ("isListed", "boolean"), ("stage", "text"), ("creditRating", "text"), ("qualification", "qualification"),
    ];

    /// <summary>The operators.</summary>
    public static readonly IReadOnlyList<string> Operators = ["eq", "ne", "gt", "gte", "lt", "lte", "between", "in", "notIn", "startsWith", "has", "hasAny"];

    private static readonly HashSet<string> Many = ["in", "notIn", "between", "hasAny", "startsWith"];

    /// <summary>The criteria from the posted rows; null when no row is filled.</summary>
    public static JsonObject? Read(Func<string, StringValues> form)
    {
        var all = new JsonArray();
        for (var i = 0; i < Rows; i++)
        {
            var field = form($"criteria[{i}].field").FirstOrDefault();
            var op = form($"criteria[{i}].op").FirstOrDefault();
            var raw = form($"criteria[{i}].value").FirstOrDefault()?.Trim();
            if (string.IsNullOrEmpty(field) || string.IsNullOrEmpty(op))
            {
                continue;
            }
            var kind = Fields.FirstOrDefault(f => f.Name == field).Kind ?? "text";
            JsonNode? value;
            if (Many.Contains(op))
            {
                var items = new JsonArray();
                foreach (var part in (raw ?? "").Split([',', '，', '、'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    items.Add(Scalar(kind, part));
                }
                value = items;
            }
            else
            {
                value = Scalar(kind, raw ?? "");
            }
            all.Add(new JsonObject { ["field"] = field, ["op"] = op, ["value"] = value });
        }
        return all.Count == 0 ? null : new JsonObject { ["all"] = all };
    }

    private static JsonNode? Scalar(string kind, string text) => kind switch
    {
        "number" when decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) => number,
        "boolean" => text is "true" or "是",
        _ => text,
    };
}
