using Songjiang.Catalog.Api.Domain;
using Songjiang.ServiceDefaults.Problems;
using Songjiang.SharedKernel;
using System.Text.RegularExpressions;

namespace Songjiang.Catalog.Api.Features;

/// <summary>Turns a written definition into a stored version, or a 400 listing every problem by field.</summary>
public static partial class CatalogValidation
{
    /// <summary>Workflow definitions the cases service runs matters on.</summary>
    public static readonly IReadOnlySet<string> WorkflowDefinitions = new HashSet<string>(StringComparer.Ordinal)
    {
        "standard-approval", "parallel-approval", "commitment-approval", "registration",
    };

    /// <summary>Validates a matter definition and builds the version.</summary>
    public static Matter ToMatter(MatterDefinition d, int version, string changedBy, DateTimeOffset now, string? changeNote)
    {
        var errors = new Errors();
        errors.Require("code", d.Code is not null && CodePattern().IsMatch(d.Code), "must be 2–32 upper-case letters, digits and dashes.");
        errors.Require("name", !string.IsNullOrWhiteSpace(d.Name) && d.Name.Length <= 200, "is required (at most 200 characters).");
        errors.Require("department", d.Department is not null && Departments.All.ContainsKey(d.Department),
            $"must be one of {string.Join(", ", Departments.All.Keys)}.");
        errors.Require("legalBasis", d.LegalBasis is { Count: > 0 } && d.LegalBasis.All(b => !string.IsNullOrWhiteSpace(b)),
            "names at least one law or regulation.");
        errors.Require("statutoryLimitDays", d.StatutoryLimitDays is >= 0 and <= 365, "is required: 0 to 365 working days.");
        errors.Require("promisedLimitDays", d.PromisedLimitDays is >= 0 && d.PromisedLimitDays <= (d.StatutoryLimitDays ?? int.MaxValue),
            "is required and may not exceed the statutory limit.");
        errors.Require("handlingModes", d.HandlingModes is { Count: > 0 } && d.HandlingModes.All(Enum.IsDefined),
            $"names at least one of {string.Join(", ", Enum.GetNames<HandlingMode>())}.");
        errors.Require("visitsRequired", d.VisitsRequired is null or >= 0 and <= 10, "must be 0 to 10.");
        errors.Require("partnerCities", (d.PartnerCities ?? []).All(c => c != G60Cities.Songjiang.Code && G60Cities.Find(c) is not null),
            "may only name G60 partner-city division codes.");
        errors.Require("partnerCities", d.CrossProvince == true || (d.PartnerCities ?? []).Count == 0, "needs crossProvince.");
        errors.Require("approvingCity", d.ApprovingCity is null || G60Cities.Find(d.ApprovingCity) is not null,
            "must be a G60 city's division code (the city whose authority approves the matter), or absent.");
        errors.Require("approvingCityMatterCode", d.ApprovingCity is null
            ? d.ApprovingCityMatterCode is null
            : d.ApprovingCityMatterCode is not null && CodePattern().IsMatch(d.ApprovingCityMatterCode),
            "is the matter's code in the approving city's catalog (2–32 upper-case letters, digits and dashes), given exactly when approvingCity is.");
        errors.Require("reviewDepartments", d.ParallelReview != true || (d.ReviewDepartments is { Count: >= 2 } && d.ReviewDepartments.All(Departments.All.ContainsKey)),
            "parallel review needs at least two known departments.");
        var materials = d.Materials ?? [];
        errors.Require("materials", materials.All(m => m.Code is not null && MaterialCodePattern().IsMatch(m.Code) && !string.IsNullOrWhiteSpace(m.Name)),
            "every material needs a code (lower-case letters, digits, dashes) and a name.");
        errors.Require("materials", materials.Select(m => m.Code).Distinct().Count() == materials.Count, "material codes must be unique.");
        errors.Require("workflowDefinition", d.WorkflowDefinition is not null && WorkflowDefinitions.Contains(d.WorkflowDefinition),
            $"must be one of {string.Join(", ", WorkflowDefinitions)}.");
        errors.Require("workflowDefinition", d.HandlingModes?.Contains(HandlingMode.Commitment) != true || d.WorkflowDefinition == "commitment-approval",
            "commitment-based matters run on commitment-approval.");
        errors.Form("formSchema", d.FormSchema);
        if (d.Outcome is { } outcome && d.FormSchema is { } schema)
        {
            foreach (var (field, message) in MatterOutcomes.Problems(outcome, schema))
            {
                errors.Require(field, false, message);
            }
        }
        errors.ThrowIfAny();

        return new Matter
        {
            Code = d.Code!, Version = version, IsCurrent = true, Name = d.Name!.Trim(), Department = d.Department!,
            LegalBasis = [.. d.LegalBasis!.Select(b => b.Trim())], StatutoryLimitDays = d.StatutoryLimitDays!.Value,
            PromisedLimitDays = d.PromisedLimitDays!.Value, HandlingModes = [.. d.HandlingModes!.Distinct()],
            VisitsRequired = d.VisitsRequired ?? 0, CrossProvince = d.CrossProvince ?? false, PartnerCities = d.PartnerCities ?? [],
            ParallelReview = d.ParallelReview ?? false, ReviewDepartments = d.ReviewDepartments ?? [],
            Materials = [.. materials.Select(m => new Material
            {
                Code = m.Code!, Name = m.Name!.Trim(), Required = m.Required ?? true, AcceptedLicenceTypes = m.AcceptedLicenceTypes ?? [],
            })],
            FormSchema = d.FormSchema!.Value.GetRawText(), WorkflowDefinition = d.WorkflowDefinition!,
            Outcome = MatterOutcomes.Write(d.Outcome),
            ApprovingCity = d.ApprovingCity, ApprovingCityMatterCode = d.ApprovingCityMatterCode,
            ChangedBy = changedBy, ChangedAt = now, ChangeNote = changeNote ?? d.ChangeNote,
        };
    }

    /// <summary>Validates a bundle definition against the known matter codes and builds the version.</summary>
    public static Bundle ToBundle(BundleDefinition d, IReadOnlySet<string> matterCodes, int version, string changedBy, DateTimeOffset now)
    {
        var errors = new Errors();
        errors.Require("code", d.Code is not null && CodePattern().IsMatch(d.Code), "must be 2–32 upper-case letters, digits and dashes.");
        errors.Require("name", !string.IsNullOrWhiteSpace(d.Name) && d.Name.Length <= 200, "is required (at most 200 characters).");
        errors.Require("description", !string.IsNullOrWhiteSpace(d.Description), "is required.");
        errors.Require("matterCodes", d.MatterCodes is { Count: >= 2 } && d.MatterCodes.Distinct().Count() == d.MatterCodes.Count,
            "a bundle fans out to at least two distinct matters.");
        var unknown = (d.MatterCodes ?? []).Where(code => !matterCodes.Contains(code)).ToList();
        errors.Require("matterCodes", unknown.Count == 0, $"unknown matters: {string.Join(", ", unknown)}.");
        errors.Require("promisedLimitDays", d.PromisedLimitDays is >= 0 and <= 365, "is required: 0 to 365 working days.");
        errors.Form("formSchema", d.FormSchema);
        errors.ThrowIfAny();

        return new Bundle
        {
            Code = d.Code!, Version = version, IsCurrent = true, Name = d.Name!.Trim(), Description = d.Description!.Trim(),
            MatterCodes = d.MatterCodes!, PromisedLimitDays = d.PromisedLimitDays!.Value, FormSchema = d.FormSchema!.Value.GetRawText(),
            ChangedBy = changedBy, ChangedAt = now,
        };
    }

    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]{1,31}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex MaterialCodePattern();

    private sealed class Errors
    {
        private readonly Dictionary<string, List<string>> _byField = [];

        public void Require(string field, bool condition, string message)
        {
            if (!condition)
            {
                Add(field, message);
            }
        }

        public void Form(string field, System.Text.Json.JsonElement? schema)
        {
            if (schema is null)
            {
                Add(field, "必填。");
            }
            else if (FormSchemas.Problem(schema.Value) is { } problem)
            {
                Add(field, problem);
            }
        }

        public void ThrowIfAny()
        {
            if (_byField.Count > 0)
            {
                throw new ValidationFailedException(_byField.ToDictionary(e => e.Key, e => e.Value.ToArray()));
            }
        }

        private void Add(string field, string message)
        {
            if (!_byField.TryGetValue(field, out var list))
            {
                _byField[field] = list = [];
            }
            list.Add(message);
        }
    }
}
