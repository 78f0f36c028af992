namespace Songjiang.PolicyRadar.Api.Domain;

/// <summary>A policy (政策) and its versions. A published version never changes; an edit makes a new version.</summary>
public sealed class Policy
{
    /// <summary>Id.</summary>
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>The newest version number (draft or published).</summary>
    public int LatestVersion { get; set; }

    /// <summary>The version in force for enterprises, if one was published.</summary>
    public int? PublishedVersion { get; set; }

    /// <summary>When the policy was first drafted.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When any version last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Every version, oldest first.</summary>
    public List<PolicyVersion> Versions { get; init; } = [];

    /// <summary>The newest version.</summary>
    public PolicyVersion Latest => Versions.Single(v => v.Version == LatestVersion);
}

/// <summary>Who issued the policy: the level of government.</summary>
public enum PolicyLevel
{
    /// <summary>国家级.</summary>
    National,

    /// <summary>上海市级.</summary>
    Shanghai,

    /// <summary>松江区级.</summary>
    Songjiang,

    /// <summary>长三角G60科创走廊 (the nine cities together).</summary>
    G60,
}

/// <summary>Where a version is in drafting, review and publication.</summary>
public enum PolicyStatus
{
    /// <summary>Being written; may change.</summary>
    Draft,

    /// <summary>Submitted; waits for a reviewer.</summary>
    InReview,

    /// <summary>Reviewed; waits for an approver to publish it.</summary>
    Approved,

    /// <summary>In force and immutable.</summary>
    Published,

    /// <summary>Was published; a newer version replaced it.</summary>
    Superseded,
}

/// <summary>One version of a policy.</summary>
public sealed class PolicyVersion
{
    /// <summary>The policy.</summary>
    public Guid PolicyId { get; init; }

    /// <summary>1, 2, 3, …</summary>
    public int Version { get; init; }

    /// <summary>Status.</summary>
    public PolicyStatus Status { get; set; }

    /// <summary>Title.</summary>
    public required string Title { get; set; }

    /// <summary>Issuing body (发文机关), e.g. 松江区科学技术委员会.</summary>
    public required string IssuingBody { get; set; }

    /// <summary>Level of government.</summary>
    public PolicyLevel Level { get; set; }

    /// <summary>Document number (文号), e.g. 松府规〔2024〕3号.</summary>
    public required string DocumentNumber { get; set; }

    /// <summary>First day in force.</summary>
    public DateOnly EffectiveFrom { get; set; }

    /// <summary>Last day in force, if limited.</summary>
    public DateOnly? ExpiresOn { get; set; }

    /// <summary>First day applications are accepted, if there is a window.</summary>
    public DateOnly? ApplicationOpens { get; set; }

    /// <summary>Last day applications are accepted, if there is a window.</summary>
    public DateOnly? ApplicationCloses { get; set; }

    /// <summary>The full text.</summary>
    public required string FullText { get; set; }

    /// <summary>Kind of benefit: subsidy, reward, voucher, loan-interest, tax-relief, financing, talent, service.</summary>
    public required string BenefitType { get; set; }

    /// <summary>Highest amount in yuan, if the policy states one.</summary>
    public decimal? BenefitAmount { get; set; }

    /// <summary>The benefit in words.</summary>
    public string? BenefitDescription { get; set; }

    /// <summary>Industry tags (人工智能, 集成电路, 生物医药, …).</summary>
    public List<string> Industries { get; set; } = [];

    /// <summary>Enterprise kinds addressed (高新技术企业, 科技型中小企业, …).</summary>
    public List<string> EnterpriseKinds { get; set; } = [];

    /// <summary>Topics (研发, 知识产权, 人才, 金融, …).</summary>
    public List<string> Topics { get; set; } = [];

    /// <summary>Eligibility criteria as a JSON document of the criteria language.</summary>
    public required string Criteria { get; set; }

    /// <summary>免申即享: eligible enterprises get the benefit without applying; they only confirm.</summary>
    public bool ExemptFromApplication { get; set; }

    /// <summary>What changed against the previous version.</summary>
    public string? ChangeNote { get; set; }

    /// <summary>Who drafted this version.</summary>
    public required string DraftedBy { get; init; }

    /// <summary>Who last edited this version (may differ from the drafter).</summary>
    public string? LastEditedBy { get; set; }

    /// <summary>Everyone who wrote or changed this version, the drafter first (four-eyes looks at all of them).</summary>
    public List<string> Editors { get; set; } = [];

    /// <summary>When this version was started.</summary>
    public DateTimeOffset DraftedAt { get; init; }

    /// <summary>When it was last edited.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When it was submitted for review.</summary>
    public DateTimeOffset? SubmittedAt { get; set; }

    /// <summary>Who reviewed it.</summary>
    public string? ReviewedBy { get; set; }

    /// <summary>When.</summary>
    public DateTimeOffset? ReviewedAt { get; set; }

    /// <summary>The reviewer's note (why it was returned, or remarks).</summary>
    public string? ReviewNote { get; set; }

    /// <summary>Who published it.</summary>
    public string? PublishedBy { get; set; }

    /// <summary>When.</summary>
    public DateTimeOffset? PublishedAt { get; set; }

    /// <summary>When a later version replaced it.</summary>
    public DateTimeOffset? SupersededAt { get; set; }

    /// <summary>Whether it is in force on a date.</summary>
    public bool IsInForceOn(DateOnly date) => date >= EffectiveFrom && (ExpiresOn is null || date <= ExpiresOn);

    /// <summary>Whether applications are open on a date: inside the window, or — without one — while in force.</summary>
    public bool IsOpenOn(DateOnly date) =>
        IsInForceOn(date) && (ApplicationOpens is null || date >= ApplicationOpens) && (ApplicationCloses is null || date <= ApplicationCloses);
}
