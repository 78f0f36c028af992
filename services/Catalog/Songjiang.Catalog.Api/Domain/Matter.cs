namespace Songjiang.Catalog.Api.Domain;

/// <summary>
/// One version of a matter (事项): what can be applied for, under which law, by whom it is decided, in how many
/// working days, with which materials and form. A version never changes once written; an edit writes the next one.
/// </summary>
public sealed class Matter
{
    /// <summary>Row id.</summary>
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>Stable code of the matter across versions, e.g. <c>SJ-SCJ-001</c>.</summary>
    public required string Code { get; init; }

    /// <summary>Version number, from 1.</summary>
    public int Version { get; init; }

    /// <summary>Whether this is the version in force (exactly one per code).</summary>
    public bool IsCurrent { get; set; }

    /// <summary>Name, e.g. 企业设立登记.</summary>
    public required string Name { get; init; }

    /// <summary>Deciding department code (see <see cref="Departments"/>).</summary>
    public required string Department { get; init; }

    /// <summary>Laws and regulations the matter rests on.</summary>
    public List<string> LegalBasis { get; init; } = [];

    /// <summary>Time limit set by law, in working days.</summary>
    public int StatutoryLimitDays { get; init; }

    /// <summary>Time limit the district promises, in working days (never more than the statutory one).</summary>
    public int PromisedLimitDays { get; init; }

    /// <summary>How it may be handled.</summary>
    public List<HandlingMode> HandlingModes { get; init; } = [];

    /// <summary>Visits to a counter the applicant needs (跑动次数), the target being 0.</summary>
    public int VisitsRequired { get; init; }

    /// <summary>Whether G60 partner cities may receive applications for it (跨省通办).</summary>
    public bool CrossProvince { get; init; }

    /// <summary>The partner cities (division codes) that may receive it; empty with <see cref="CrossProvince"/> means all.</summary>
    public List<string> PartnerCities { get; init; } = [];

    /// <summary>
    /// The G60 city (division code) whose authority approves the matter (收受分离), or null when the city this platform
    /// serves approves it. On a platform serving another city the application is received here and forwarded there.
    /// </summary>
    public string? ApprovingCity { get; init; }

    /// <summary>The matter's code in the approving city's catalog (what the forwarded application names).</summary>
    public string? ApprovingCityMatterCode { get; init; }

    /// <summary>Whether several departments review in parallel (并联审批).</summary>
    public bool ParallelReview { get; init; }

    /// <summary>Departments that review in parallel, when <see cref="ParallelReview"/>.</summary>
    public List<string> ReviewDepartments { get; init; } = [];

    /// <summary>Materials to submit.</summary>
    public List<Material> Materials { get; init; } = [];

    /// <summary>The application form as a JSON Schema document.</summary>
    public required string FormSchema { get; init; }

    /// <summary>What approving the matter means (<see cref="MatterOutcome"/>) as JSON, or null when approval yields nothing beyond the decision.</summary>
    public string? Outcome { get; init; }

    /// <summary>The workflow definition cases of this matter run on.</summary>
    public required string WorkflowDefinition { get; init; }

    /// <summary>Who wrote this version.</summary>
    public required string ChangedBy { get; init; }

    /// <summary>When.</summary>
    public DateTimeOffset ChangedAt { get; init; }

    /// <summary>What changed, in the editor's words.</summary>
    public string? ChangeNote { get; init; }
}

/// <summary>A material to submit (申请材料).</summary>
public sealed class Material
{
    /// <summary>Code, unique within the matter.</summary>
    public required string Code { get; init; }

    /// <summary>Name.</summary>
    public required string Name { get; init; }

    /// <summary>Whether it must be submitted.</summary>
    public bool Required { get; init; } = true;

    /// <summary>Electronic licence types that prove it, so a holder need not upload it (减材料).</summary>
    public List<string> AcceptedLicenceTypes { get; init; } = [];
}

/// <summary>Handling modes.</summary>
public enum HandlingMode
{
    /// <summary>全程网办: fully online.</summary>
    FullyOnline,

    /// <summary>承诺办 (告知承诺): approved on the applicant's commitment, verified afterwards.</summary>
    Commitment,

    /// <summary>快递办: results by courier.</summary>
    Courier,

    /// <summary>远程办: remote, by video or partner city.</summary>
    Remote,

    /// <summary>应急办: emergency handling.</summary>
    Emergency,
}

/// <summary>The departments that decide matters.</summary>
public static class Departments
{
    /// <summary>Codes and names.</summary>
    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>
    {
        ["market-regulation"] = "区市场监管局",
        ["tax"] = "区税务局",
        ["human-resources"] = "区人力资源和社会保障局",
        ["housing-construction"] = "区建设和管理委员会",
        ["health"] = "区卫生健康委员会",
        ["ecology-environment"] = "松江区生态环境局",
        ["planning-resources"] = "区规划和自然资源局",
        ["public-security"] = "松江公安分局",
        ["science-technology"] = "区科学技术委员会",
        ["bank"] = "开户银行（预约开户）",
    };
}
