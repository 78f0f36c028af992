using Songjiang.Catalog.Api.Domain;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Songjiang.Catalog.Api.Features;

/// <summary>Checks a matter's declared outcome against its own form and stores it.</summary>
public static partial class MatterOutcomes
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The stored form of an outcome; null when it declares nothing.</summary>
    public static string? Write(MatterOutcome? outcome) =>
        outcome is null || (outcome.Licence is null && outcome.Registration is null) ? null : JsonSerializer.Serialize(outcome, Json);

    /// <summary>The stored outcome, or null.</summary>
    public static MatterOutcome? Read(string? stored) => stored is null ? null : JsonSerializer.Deserialize<MatterOutcome>(stored, Json);

    /// <summary>
    /// Every problem of an outcome, keyed by its place in the definition: an unknown source or effect, and above all a
    /// form field that the form schema does not have — so a form edit cannot silently break what an approval issues.
    /// </summary>
    public static IEnumerable<(string Field, string Message)> Problems(MatterOutcome outcome, JsonElement formSchema)
    {
        if (outcome.Licence is { } licence)
        {
            if (licence.Type is null || !LicenceTypePattern().IsMatch(licence.Type))
            {
                yield return ("outcome.licence.type", "须为证照类型代码（小写字母、数字和连字符）。");
            }
            if (licence.Fields is not { Count: > 0 })
            {
                yield return ("outcome.licence.fields", "须列明证照的每个字段及其来源。");
            }
            foreach (var (name, source) in licence.Fields ?? [])
            {
                var place = $"outcome.licence.fields.{name}";
                if (source.Source is null || !LicenceFieldSources.All.Contains(source.Source))
                {
                    yield return (place, $"来源须为 {string.Join("、", LicenceFieldSources.All)} 之一。");
                    continue;
                }
                if (source.Map is not null && source.Source != LicenceFieldSources.Form)
                {
                    yield return (place, "只有取自表单的字段可以有取值对照（map）。");
                }
                switch (source.Source)
                {
                    case LicenceFieldSources.Form when !HasField(formSchema, source.Field):
                        yield return (place, $"表单中没有字段“{source.Field}”。");
                        break;
                    case LicenceFieldSources.Constant when source.Value is null:
                        yield return (place, "固定值来源须给出 value。");
                        break;
                    case LicenceFieldSources.HolderProfile when source.Field is null || !LicenceFieldSources.ProfileFields.Contains(source.Field):
                        yield return (place, $"持证主体登记信息只提供 {string.Join("、", LicenceFieldSources.ProfileFields)}。");
                        break;
                }
            }
        }
        if (outcome.Registration is { } registration)
        {
            if (registration.Effect is null || !RegistrationEffects.All.Contains(registration.Effect))
            {
                yield return ("outcome.registration.effect", $"须为 {string.Join("、", RegistrationEffects.All)} 之一。");
            }
            foreach (var (detail, field) in registration.Fields ?? [])
            {
                var place = $"outcome.registration.fields.{detail}";
                if (!RegistrationEffects.Details.Contains(detail))
                {
                    yield return (place, $"登记事项只能是 {string.Join("、", RegistrationEffects.Details)}。");
                }
                else if (!HasField(formSchema, field))
                {
                    yield return (place, $"表单中没有字段“{field}”。");
                }
            }
            if (registration.Effect == RegistrationEffects.Establish && !(registration.Fields?.ContainsKey("name") ?? false))
            {
                yield return ("outcome.registration.fields", "设立登记须指明企业名称取自表单的哪个字段（name）。");
            }
        }
    }

    // A dotted path ("changes.name") walks nested object schemas' properties.
    private static bool HasField(JsonElement schema, string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return false;
        }
        var node = schema;
        foreach (var part in path.Split('.'))
        {
            if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty("properties", out var properties)
                || properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty(part, out node))
            {
                return false;
            }
        }
        return true;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,63}$")]
    private static partial Regex LicenceTypePattern();
}
