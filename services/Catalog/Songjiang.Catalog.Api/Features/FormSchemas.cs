using System.Collections.Concurrent;
using System.Text.Json;
using Json.Schema;

namespace Songjiang.Catalog.Api.Features;

/// <summary>Application forms as JSON Schema (draft 2020-12): checking a schema, and checking a form against one.</summary>
public static class FormSchemas
{
    /// <summary>Why a schema is not usable as an application form, or null when it is.</summary>
    public static string? Problem(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object
            || !schema.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "object"
            || !schema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return "申请表须为 JSON Schema，其中 \"type\" 为 \"object\"，并含 \"properties\"。";
        }
        var meta = MetaSchemas.Draft202012.Evaluate(schema, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!meta.IsValid)
        {
            var first = (meta.Details ?? []).FirstOrDefault(d => d.Errors is { Count: > 0 });
            return first is null
                ? "申请表不是有效的 JSON Schema（draft 2020-12）。"
                : $"申请表不是有效的 JSON Schema（位置 {first.InstanceLocation}）：{string.Join(" ", first.Errors!.Values)}";
        }
        try
        {
            Build(schema.GetRawText());
            return null;
        }
        catch (Exception exception) when (exception is JsonSchemaException or JsonException or RefResolutionException)
        {
            return $"申请表无法使用：{exception.Message}";
        }
    }

    private static IEnumerable<string> MissingRequired(string schemaText, JsonElement form)
    {
        using var schema = JsonDocument.Parse(schemaText);
        if (!schema.RootElement.TryGetProperty("required", out var required) || required.ValueKind != JsonValueKind.Array)
        {
            return [];
        }
        return required.EnumerateArray().Select(r => r.GetString()!)
            .Where(name => form.ValueKind != JsonValueKind.Object || !form.TryGetProperty(name, out _))
            .ToList();
    }

    /// <summary>Checks a form against a schema; errors are keyed by the JSON path of the failing field, in Chinese naming it by its title.</summary>
    public static FormCheck Check(string schemaText, JsonElement form)
    {
        var schema = BuiltFor(schemaText);
        var results = schema.Evaluate(form, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (results.IsValid)
        {
            return new FormCheck(true, new Dictionary<string, string[]>());
        }
        using var schemaDocument = JsonDocument.Parse(schemaText);
        var schemaRoot = schemaDocument.RootElement;
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string key, IEnumerable<string> messages)
        {
            if (!errors.TryGetValue(key, out var list))
            {
                errors[key] = list = [];
            }
            list.AddRange(messages);
        }

        foreach (var detail in (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }))
        {
            var path = detail.InstanceLocation.ToString();
            var atRoot = string.IsNullOrEmpty(path) || path == "/";
            foreach (var (keyword, _) in detail.Errors!)
            {
                // A missing field is reported on its parent; name each missing field instead, as a form shows them.
                if (atRoot && keyword == "required")
                {
                    foreach (var missing in MissingRequired(schemaText, form))
                    {
                        Add("/" + missing, [FormErrorText.Message(schemaRoot, "/" + missing, "required")]);
                    }
                    continue;
                }
                Add(atRoot ? "$" : path, [atRoot ? (keyword is "additionalProperties" or "unevaluatedProperties" ? "表单中有本事项不需要的项目，请删除。" : "表单填写有误，请对照填写说明检查。") : FormErrorText.Message(schemaRoot, path, keyword)]);
            }
        }
        return new FormCheck(false, errors.ToDictionary(e => e.Key, e => e.Value.Distinct().ToArray()));
    }

    /// <summary>Forms checked against the same schema text share its build (the catalog's matters are few).</summary>
    private const int BuiltLimit = 512;

    private static readonly ConcurrentDictionary<string, JsonSchema> Built = new(StringComparer.Ordinal);

    /// <summary>
    /// The schema built once per schema text: a build parses the schema and compiles every <c>pattern</c> into a
    /// regular expression, far more work than checking a form, and a built schema is only read by evaluation.
    /// </summary>
    private static JsonSchema BuiltFor(string schemaText)
    {
        if (Built.TryGetValue(schemaText, out var schema))
        {
            return schema;
        }

        if (Built.Count >= BuiltLimit)
        {
            // Published versions are never edited, so this happens only after hundreds of versions: start afresh.
            Built.Clear();
        }

        return Built.GetOrAdd(schemaText, Build);
    }

    // Each schema is built with its own registry: the library's global one is a plain dictionary, and schemas built
    // at the same moment (several hosts seeding in one process, concurrent form checks) would corrupt it.
    private static JsonSchema Build(string schemaText) =>
        JsonSchema.FromText(schemaText, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
}
