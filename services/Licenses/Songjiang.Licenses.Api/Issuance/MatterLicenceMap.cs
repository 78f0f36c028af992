using Songjiang.Licenses.Api.Documents;
using Songjiang.Licenses.Api.Domain;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Songjiang.Licenses.Api.Issuance;

/// <summary>Where a licence field's value comes from when an approved application is turned into a licence.</summary>
public enum FieldSourceKind
{
    /// <summary>A field of the application form (<see cref="FieldSource.Field"/>), optionally translated by a map.</summary>
    Form,

    /// <summary>A fixed value (<see cref="FieldSource.Value"/>).</summary>
    Constant,

    /// <summary>The approval's calendar day in China.</summary>
    ApprovalDate,

    /// <summary>The holder's name as the approval names it.</summary>
    HolderName,

    /// <summary>A field of the holder's profile in the enterprise register (<c>legalRepresentative</c>, <c>registeredAddress</c>, <c>name</c>).</summary>
    HolderProfile,
}

/// <summary>One licence field's source.</summary>
/// <param name="Source">The kind of source.</param>
/// <param name="Field">The form field, or the profile field.</param>
/// <param name="Value">The constant.</param>
/// <param name="Map">Form values translated to licence values; for a list, the first form value the map names decides.</param>
/// <param name="Default">The value when the map names none of the form's values.</param>
/// <param name="Note">Why the field comes from where it does, for the reader of the file.</param>
public sealed record FieldSource(
    FieldSourceKind Source, string? Field = null, JsonElement? Value = null, Dictionary<string, string>? Map = null, string? Default = null,
    string? Note = null);

/// <summary>Which licence an approved matter yields and where each of its fields comes from.</summary>
public sealed record MatterLicence(string MatterCode, string? MatterName, string LicenceType, Dictionary<string, FieldSource> Fields)
{
    /// <summary>Profile fields the holder profile source can supply.</summary>
    public static readonly IReadOnlySet<string> ProfileFields = new HashSet<string>(StringComparer.Ordinal) { "name", "legalRepresentative", "registeredAddress" };

    /// <summary>Whether issuing needs the holder's profile from the enterprise register.</summary>
    public bool NeedsHolderProfile => Fields.Values.Any(f => f.Source == FieldSourceKind.HolderProfile);

    /// <summary>
    /// The licence fields for one approval. A value the approval cannot supply for a required field is an error
    /// naming the licence field and its source; optional fields without a value are left out. Values are checked
    /// against the licence type by the issuer.
    /// </summary>
    public Dictionary<string, JsonElement> Resolve(
        LicenceType type, JsonElement form, DateOnly approvedOn, string? holderName, Func<string, string?>? holderProfile,
        Dictionary<string, string[]> errors)
    {
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (name, source) in Fields)
        {
            var required = type.Fields.FirstOrDefault(f => f.Name == name)?.Required ?? false;
            var value = source.Source switch
            {
                FieldSourceKind.Form => FromForm(source, form),
                FieldSourceKind.Constant => source.Value,
                FieldSourceKind.ApprovalDate => JsonSerializer.SerializeToElement(approvedOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
                FieldSourceKind.HolderName => Text(holderName),
                FieldSourceKind.HolderProfile => Text(holderProfile?.Invoke(source.Field!)),
                _ => null,
            };
            if (value is { } present)
            {
                fields[name] = present;
            }
            else if (required)
            {
                errors[$"fields.{name}"] = [source.Source switch
                {
                    FieldSourceKind.Form => $"The form has no '{source.Field}', which the {type.Name}'s {name} is taken from.",
                    FieldSourceKind.HolderName => "The approval names no holder.",
                    FieldSourceKind.HolderProfile => $"The holder's profile in the enterprise register has no {source.Field}.",
                    _ => $"No value for {name}.",
                }];
            }
        }
        return fields;
    }

    private static JsonElement? FromForm(FieldSource source, JsonElement form)
    {
        if (form.ValueKind != JsonValueKind.Object || !form.TryGetProperty(source.Field!, out var value)
            || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.Array)
        {
            var items = value.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetString()!).ToList();
            if (source.Map is { } map)
            {
                var mapped = items.Select(i => map.GetValueOrDefault(i)).FirstOrDefault(m => m is not null) ?? source.Default;
                return Text(mapped);
            }
            // A list of items is printed as one enumeration, the way licences list them.
            return items.Count == 0 ? null : Text(string.Join("、", items));
        }
        if (source.Map is { } scalarMap && value.ValueKind == JsonValueKind.String)
        {
            return Text(scalarMap.GetValueOrDefault(value.GetString()!) ?? source.Default ?? value.GetString());
        }
        return value.Clone();
    }

    private static JsonElement? Text(string? text) => string.IsNullOrWhiteSpace(text) ? null : JsonSerializer.SerializeToElement(text);
}

/// <summary>
/// The matters whose approval yields a licence, read from <c>Seed/matter-licences.json</c>. The file is checked
/// against the licence types at start (<see cref="Problems"/>); a mistake stops the service rather than
/// dead-lettering every approval of the matter later.
/// </summary>
public sealed class MatterLicenceMap
{
    /// <summary>The embedded resource holding the map.</summary>
    public const string ResourceName = "Songjiang.Licenses.Api.Seed.matter-licences.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private readonly Dictionary<string, MatterLicence> _byMatter;

    private MatterLicenceMap(List<MatterLicence> matters)
    {
        All = matters;
        _byMatter = matters.GroupBy(m => m.MatterCode, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    /// <summary>Every mapping, in file order.</summary>
    public IReadOnlyList<MatterLicence> All { get; }

    /// <summary>The mapping of a matter, or null when its approval yields no licence.</summary>
    public MatterLicence? Find(string? matterCode) => matterCode is null ? null : _byMatter.GetValueOrDefault(matterCode);

    /// <summary>Reads the map embedded in the service.</summary>
    public static MatterLicenceMap FromEmbeddedResource()
    {
        using var stream = typeof(MatterLicenceMap).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Missing embedded resource {ResourceName}.");
        return Read(stream);
    }

    /// <summary>Reads a map; malformed JSON or an unknown source or property is an error naming the place.</summary>
    public static MatterLicenceMap Read(Stream json)
    {
        try
        {
            var file = JsonSerializer.Deserialize<MapFile>(json, Json) ?? throw new InvalidOperationException("The matter-licence map is empty.");
            return new MatterLicenceMap(file.Matters ?? []);
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"The matter-licence map cannot be read at {ex.Path}: {ex.Message}", ex);
        }
    }

    /// <summary>Everything wrong with the map against these licence types; empty when it is sound.</summary>
    public IReadOnlyList<string> Problems(IReadOnlyCollection<LicenceType> types)
    {
        var problems = new List<string>();
        foreach (var duplicate in All.GroupBy(m => m.MatterCode).Where(g => g.Count() > 1))
        {
            problems.Add($"{duplicate.Key}: mapped {duplicate.Count()} times.");
        }
        foreach (var matter in All)
        {
            var type = types.FirstOrDefault(t => t.Code == matter.LicenceType);
            if (type is null)
            {
                problems.Add($"{matter.MatterCode}: unknown licence type '{matter.LicenceType}'; the types are {string.Join(", ", types.Select(t => t.Code))}.");
                continue;
            }
            foreach (var (name, source) in matter.Fields ?? [])
            {
                var definition = type.Fields.FirstOrDefault(f => f.Name == name);
                if (definition is null)
                {
                    problems.Add($"{matter.MatterCode}: a {type.Code} has no field '{name}'; its fields are {string.Join(", ", type.Fields.Select(f => f.Name))}.");
                    continue;
                }
                problems.AddRange(SourceProblems(type, definition, source).Select(p => $"{matter.MatterCode}: {name}: {p}"));
            }
            foreach (var missing in type.Fields.Where(f => f.Required && !(matter.Fields?.ContainsKey(f.Name) ?? false)))
            {
                problems.Add($"{matter.MatterCode}: the required field '{missing.Name}' of a {type.Code} has no source.");
            }
        }
        return problems;
    }

    private static IEnumerable<string> SourceProblems(LicenceType type, LicenceFieldDefinition definition, FieldSource source)
    {
        if (source.Map is not null && source.Source != FieldSourceKind.Form)
        {
            yield return "only a form source may have a map.";
        }
        switch (source.Source)
        {
            case FieldSourceKind.Form:
                if (string.IsNullOrWhiteSpace(source.Field))
                {
                    yield return "a form source needs the form field's name in 'field'.";
                }
                foreach (var value in (source.Map?.Values ?? Enumerable.Empty<string>()).Append(source.Default).OfType<string>())
                {
                    if (ValueProblem(type, definition, JsonSerializer.SerializeToElement(value)) is { } problem)
                    {
                        yield return $"mapped value '{value}': {problem}";
                    }
                }
                break;
            case FieldSourceKind.Constant:
                if (source.Value is not { } constant)
                {
                    yield return "a constant source needs a 'value'.";
                }
                else if (ValueProblem(type, definition, constant) is { } problem)
                {
                    yield return $"constant {constant.GetRawText()}: {problem}";
                }
                break;
            case FieldSourceKind.ApprovalDate when definition.Kind != LicenceFieldKind.Date:
                yield return $"the approval date can only fill a date field, not a {definition.Kind.ToString().ToLowerInvariant()} field.";
                break;
            case FieldSourceKind.HolderName or FieldSourceKind.HolderProfile when definition.Kind != LicenceFieldKind.String:
                yield return $"the holder's name and profile give text, not a {definition.Kind.ToString().ToLowerInvariant()}.";
                break;
        }
        if (source.Source == FieldSourceKind.HolderProfile && !MatterLicence.ProfileFields.Contains(source.Field ?? ""))
        {
            yield return $"the holder's profile supplies {string.Join(", ", MatterLicence.ProfileFields)}, not '{source.Field}'.";
        }
    }

    // The same check the issuer makes, on one field alone.
    private static string? ValueProblem(LicenceType type, LicenceFieldDefinition definition, JsonElement value)
    {
        var single = new LicenceType
        {
            Code = type.Code, NumberPrefix = type.NumberPrefix, Name = type.Name, EnglishName = type.EnglishName,
            AuthorityCode = type.AuthorityCode, Fields = [definition],
        };
        var errors = new Dictionary<string, string[]>();
        FieldValidator.Validate(single, new Dictionary<string, JsonElement> { [definition.Name] = value }, errors);
        return errors.Count == 0 ? null : string.Join(" ", errors.Values.SelectMany(e => e));
    }

    private sealed record MapFile(List<MatterLicence>? Matters);
}
