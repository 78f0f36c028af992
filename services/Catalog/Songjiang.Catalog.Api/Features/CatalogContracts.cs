using Songjiang.Catalog.Api.Domain;
using System.Text.Json;
using Songjiang.SharedKernel;

namespace Songjiang.Catalog.Api.Features;

/// <summary>A matter as an administrator writes it (and as the seed file holds it).</summary>
public sealed record MatterDefinition(
    string? Code,
    string? Name,
    string? Department,
    List<string>? LegalBasis,
    int? StatutoryLimitDays,
    int? PromisedLimitDays,
    List<HandlingMode>? HandlingModes,
    int? VisitsRequired,
    bool? CrossProvince,
    List<string>? PartnerCities,
    bool? ParallelReview,
    List<string>? ReviewDepartments,
    List<MaterialDefinition>? Materials,
    JsonElement? FormSchema,
    string? WorkflowDefinition,
    string? ChangeNote = null,
    MatterOutcome? Outcome = null,
    string? ApprovingCity = null,
    string? ApprovingCityMatterCode = null);

/// <summary>A material as written.</summary>
public sealed record MaterialDefinition(string? Code, string? Name, bool? Required, List<string>? AcceptedLicenceTypes);

/// <summary>A bundle as written.</summary>
public sealed record BundleDefinition(string? Code, string? Name, string? Description, List<string>? MatterCodes, int? PromisedLimitDays, JsonElement? FormSchema);

/// <summary>A matter as readers see it.</summary>
public sealed record MatterView(
    string Code, int Version, string Name, string Department, string DepartmentName, IReadOnlyList<string> LegalBasis,
    int StatutoryLimitDays, int PromisedLimitDays, IReadOnlyList<HandlingMode> HandlingModes, int VisitsRequired,
    bool CrossProvince, IReadOnlyList<string> PartnerCities, bool ParallelReview, IReadOnlyList<string> ReviewDepartments,
    IReadOnlyList<Material> Materials, JsonElement FormSchema, string WorkflowDefinition, DateTimeOffset ChangedAt, string? ChangeNote,
    MatterOutcome? Outcome, string? ApprovingCity = null, string? ApprovingCityName = null, string? ApprovingCityMatterCode = null)
{
    /// <summary>Projects a stored version.</summary>
    public static MatterView Of(Matter m) => new(
        m.Code, m.Version, m.Name, m.Department, Departments.All.GetValueOrDefault(m.Department, m.Department), m.LegalBasis,
        m.StatutoryLimitDays, m.PromisedLimitDays, m.HandlingModes, m.VisitsRequired, m.CrossProvince, m.PartnerCities,
        m.ParallelReview, m.ReviewDepartments, m.Materials, JsonDocument.Parse(m.FormSchema).RootElement, m.WorkflowDefinition,
        m.ChangedAt, m.ChangeNote, MatterOutcomes.Read(m.Outcome), m.ApprovingCity, CityName(m.ApprovingCity), m.ApprovingCityMatterCode);

    /// <summary>A G60 city's Chinese name, or null for no city.</summary>
    public static string? CityName(string? code) => code is null ? null : G60Cities.Find(code)?.Name ?? code;
}

/// <summary>A line of the matter list.</summary>
public sealed record MatterSummary(
    string Code, int Version, string Name, string Department, int PromisedLimitDays, IReadOnlyList<HandlingMode> HandlingModes,
    int VisitsRequired, bool CrossProvince, string? ApprovingCity = null, string? ApprovingCityName = null);

/// <summary>A bundle with the current versions of its matters.</summary>
public sealed record BundleView(
    string Code, int Version, string Name, string Description, int PromisedLimitDays, JsonElement FormSchema,
    IReadOnlyList<MatterSummary> Matters, IReadOnlyList<string> Departments);

/// <summary>What is wrong with a form, by field path.</summary>
public sealed record FormCheck(bool Valid, IReadOnlyDictionary<string, string[]> Errors);
