using System.Globalization;
using System.Text.Json;
using Songjiang.Cases.Api.IntegrationEvents.Events;

namespace Songjiang.Cases.Api.Domain;

// This service's copy of the catalog's declaration of what approving a matter means (the catalog owns it). An
// application keeps the copy it was submitted under, so a later catalog edit does not change a case in progress.

/// <summary>What approving a matter means: the licence it yields and its effect on the enterprise register.</summary>
public sealed record MatterOutcome(LicenceOutcome? Licence, RegistrationOutcome? Registration)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The snapshot stored on an application, or null.</summary>
    public static MatterOutcome? Read(string? stored) => stored is null ? null : JsonSerializer.Deserialize<MatterOutcome>(stored, Json);

    /// <summary>
    /// The approval's typed sections: the licence fields resolved from the form as the catalog maps them, and the
    /// registered details. A form value that is absent is left out; the issuer names the licence field it lacks.
    /// </summary>
    public (ApprovedLicence? Licence, ApprovedRegistration? Registration) Resolve(
        JsonElement form, DateOnly approvedOn, string? applicantUscc, string applicantName)
    {
        ApprovedRegistration? registration = null;
        if (Registration is { Effect: { } effect } declared)
        {
            string? Detail(string name) => declared.Fields?.GetValueOrDefault(name) is { } path ? Text(At(form, path)) : null;
            decimal? Amount(string name) => declared.Fields?.GetValueOrDefault(name) is { } path && At(form, path) is { ValueKind: JsonValueKind.Number } n
                ? n.GetDecimal() : null;
            registration = new ApprovedRegistration(
                effect,
                effect == RegistrationEffects.Establish ? null : applicantUscc,
                new RegisteredDetails(
                    Detail("name"), Detail("legalRepresentative"), Detail("registeredAddress"), Amount("registeredCapital"),
                    Detail("businessScope"), Detail("industryCode"), Detail("location")));
        }
        if (Licence is not { Type: { } type } licence)
        {
            return (null, registration);
        }
        var establishes = registration?.Effect == RegistrationEffects.Establish;
        var holderName = establishes ? registration!.Details.Name ?? applicantName : applicantName;
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var fromProfile = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, source) in licence.Fields ?? [])
        {
            JsonElement? value = source.Source switch
            {
                "form" => FromForm(source, form),
                "constant" => source.Value,
                "approvalDate" => JsonSerializer.SerializeToElement(approvedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                "holderName" => TextElement(holderName),
                _ => null,
            };
            if (source.Source == "holderProfile" && source.Field is { } profileField)
            {
                fromProfile[name] = profileField;
            }
            else if (value is { } present)
            {
                fields[name] = present;
            }
        }
        return (new ApprovedLicence(type, establishes ? null : applicantUscc, holderName, establishes, fields, fromProfile), registration);
    }

    private static JsonElement? FromForm(LicenceFieldSource source, JsonElement form)
    {
        if (source.Field is null || At(form, source.Field) is not { } value || value.ValueKind is JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.Array)
        {
            var items = value.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetString()!).ToList();
            if (source.Map is { } map)
            {
                return TextElement(items.Select(i => map.GetValueOrDefault(i)).FirstOrDefault(m => m is not null) ?? source.Default);
            }
            // A list of items is printed as one enumeration, the way licences list them.
            return items.Count == 0 ? null : TextElement(string.Join("、", items));
        }
        if (source.Map is { } scalarMap && value.ValueKind == JsonValueKind.String)
        {
            return TextElement(scalarMap.GetValueOrDefault(value.GetString()!) ?? source.Default ?? value.GetString());
        }
        return value.Clone();
    }

    private static JsonElement? At(JsonElement form, string path)
    {
        var node = form;
        foreach (var part in path.Split('.'))
        {
            if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(part, out node))
            {
                return null;
            }
        }
        return node;
    }

    private static string? Text(JsonElement? value) =>
        value is { ValueKind: JsonValueKind.String } text && !string.IsNullOrWhiteSpace(text.GetString()) ? text.GetString()!.Trim() : null;

    private static JsonElement? TextElement(string? text) => string.IsNullOrWhiteSpace(text) ? null : JsonSerializer.SerializeToElement(text);
}

/// <summary>The licence an approval yields and where each field comes from.</summary>
public sealed record LicenceOutcome(string? Type, Dictionary<string, LicenceFieldSource>? Fields);

/// <summary>Where one licence field comes from: <c>form</c>, <c>constant</c>, <c>approvalDate</c>, <c>holderName</c> or <c>holderProfile</c>.</summary>
public sealed record LicenceFieldSource(
    string? Source, string? Field = null, JsonElement? Value = null, Dictionary<string, string>? Map = null, string? Default = null);

/// <summary>An approval's effect on the register and the registered details each form field sets.</summary>
public sealed record RegistrationOutcome(string? Effect, Dictionary<string, string>? Fields);

/// <summary>The registration effects as the catalog names them.</summary>
public static class RegistrationEffects
{
    /// <summary>设立.</summary>
    public const string Establish = "establish";
}
