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
        errors.Require("code", d.Code is not null && CodePattern().IsMatch(d.Code), "事项编码须为 2 至 32 位大写字母、数字或连字符。");
        errors.Require("name", !string.IsNullOrWhiteSpace(d.Name) && d.Name.Length <= 200, "须填写事项名称（不超过 200 个字符）。");
        errors.Require("department", d.Department is not null && Departments.All.ContainsKey(d.Department),
            $"主管部门须为以下之一：{string.Join("、", Departments.All.Keys)}。");
        errors.Require("legalBasis", d.LegalBasis is { Count: > 0 } && d.LegalBasis.All(b => !string.IsNullOrWhiteSpace(b)),
            "须列明至少一部法律法规作为设定依据。");
        errors.Require("statutoryLimitDays", d.StatutoryLimitDays is >= 0 and <= 365, "须填写法定办结时限：0 至 365 个工作日。");
        errors.Require("promisedLimitDays", d.PromisedLimitDays is >= 0 && d.PromisedLimitDays <= (d.StatutoryLimitDays ?? int.MaxValue),
            "须填写承诺办结时限，且不能超过法定办结时限。");
        errors.Require("handlingModes", d.HandlingModes is { Count: > 0 } && d.HandlingModes.All(Enum.IsDefined),
            $"须至少选择一种办理方式：{string.Join("、", Enum.GetNames<HandlingMode>())}。");
        errors.Require("visitsRequired", d.VisitsRequired is null or >= 0 and <= 10, "到现场次数须为 0 至 10 次。");
        errors.Require("partnerCities", (d.PartnerCities ?? []).All(c => c != G60Cities.Songjiang.Code && G60Cities.Find(c) is not null),
            "跨省通办合作城市只能填写 G60 合作城市的行政区划代码。");
        errors.Require("partnerCities", d.CrossProvince == true || (d.PartnerCities ?? []).Count == 0, "须先将事项设为跨省通办（crossProvince）。");
        errors.Require("approvingCity", d.ApprovingCity is null || G60Cities.Find(d.ApprovingCity) is not null,
            "审批城市须为 G60 城市的行政区划代码（由该城市的部门审批本事项），或不填。");
        errors.Require("approvingCityMatterCode", d.ApprovingCity is null
            ? d.ApprovingCityMatterCode is null
            : d.ApprovingCityMatterCode is not null && CodePattern().IsMatch(d.ApprovingCityMatterCode),
            "审批城市事项目录中的事项编码（2 至 32 位大写字母、数字或连字符）：填写了审批城市（approvingCity）时必填，否则不填。");
        errors.Require("reviewDepartments", d.ParallelReview != true || (d.ReviewDepartments is { Count: >= 2 } && d.ReviewDepartments.All(Departments.All.ContainsKey)),
            "并联审批须指定至少两个已知部门。");
        var materials = d.Materials ?? [];
        errors.Require("materials", materials.All(m => m.Code is not null && MaterialCodePattern().IsMatch(m.Code) && !string.IsNullOrWhiteSpace(m.Name)),
            "每项材料须有编码（小写字母、数字或连字符）和名称。");
        errors.Require("materials", materials.Select(m => m.Code).Distinct().Count() == materials.Count, "材料编码不能重复。");
        errors.Require("workflowDefinition", d.WorkflowDefinition is not null && WorkflowDefinitions.Contains(d.WorkflowDefinition),
            $"办理流程须为以下之一：{string.Join("、", WorkflowDefinitions)}。");
        errors.Require("workflowDefinition", d.HandlingModes?.Contains(HandlingMode.Commitment) != true || d.WorkflowDefinition == "commitment-approval",
            "告知承诺事项须使用 commitment-approval 流程。");
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
        errors.Require("code", d.Code is not null && CodePattern().IsMatch(d.Code), "一件事编码须为 2 至 32 位大写字母、数字或连字符。");
        errors.Require("name", !string.IsNullOrWhiteSpace(d.Name) && d.Name.Length <= 200, "须填写一件事名称（不超过 200 个字符）。");
        errors.Require("description", !string.IsNullOrWhiteSpace(d.Description), "须填写说明。");
        errors.Require("matterCodes", d.MatterCodes is { Count: >= 2 } && d.MatterCodes.Distinct().Count() == d.MatterCodes.Count,
            "一件事须包含至少两个不同的事项。");
        var unknown = (d.MatterCodes ?? []).Where(code => !matterCodes.Contains(code)).ToList();
        errors.Require("matterCodes", unknown.Count == 0, $"目录中没有这些事项：{string.Join("、", unknown)}。");
        errors.Require("promisedLimitDays", d.PromisedLimitDays is >= 0 and <= 365, "须填写承诺办结时限：0 至 365 个工作日。");
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
