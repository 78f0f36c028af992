namespace Songjiang.Cases.Api.Domain;

/// <summary>What an application is for.</summary>
public enum ApplicationKind
{
    /// <summary>One matter (事项).</summary>
    Matter,

    /// <summary>A 一件事 bundle: the parent of one child application per matter.</summary>
    Bundle,

    /// <summary>A 免申即享 benefit the policy radar found; it only needs the enterprise's confirmation.</summary>
    Benefit,
}

/// <summary>Where the application came in.</summary>
public enum Channel
{
    /// <summary>Online, by the enterprise itself.</summary>
    Online,

    /// <summary>At the service-centre window, by a clerk on the enterprise's behalf (代办/帮办).</summary>
    Window,

    /// <summary>Forwarded by a G60 partner city (跨省通办).</summary>
    PartnerCity,

    /// <summary>Opened by the platform for the enterprise (免申即享).</summary>
    Proactive,
}

/// <summary>Where an application stands, as the applicant sees it.</summary>
public enum ApplicationStatus
{
    /// <summary>待受理: waiting for the window to accept it.</summary>
    Submitted,

    /// <summary>待补正: the applicant must fix materials; the statutory clock is paused.</summary>
    CorrectionRequested,

    /// <summary>审查中: accepted and under review (in one or more departments).</summary>
    UnderReview,

    /// <summary>已批准: approved; a 承诺办 approval still awaits its post-approval verification.</summary>
    Approved,

    /// <summary>办结: handling finished; <see cref="Application.Outcome"/> says how.</summary>
    Completed,

    /// <summary>待确认: a benefit waiting for the enterprise's confirmation.</summary>
    AwaitingConfirmation,

    /// <summary>办理中: a bundle whose child applications are still being handled.</summary>
    InProgress,
}

/// <summary>An application (办件): for a matter, a bundle (parent of its children) or a proactive benefit.</summary>
public sealed class Application
{
    /// <summary>Id.</summary>
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>Human-readable number, e.g. <c>SJ20261128-000123</c>; bundle children add <c>-02</c>.</summary>
    public required string Number { get; init; }

    /// <summary>The parent bundle application of a child.</summary>
    public Guid? ParentId { get; init; }

    /// <summary>The parent's number, for a child.</summary>
    public string? ParentNumber { get; init; }

    /// <summary>Matter, bundle or benefit.</summary>
    public ApplicationKind Kind { get; init; }

    /// <summary>The matter code (null for a bundle parent and a benefit).</summary>
    public string? MatterCode { get; init; }

    /// <summary>The catalog version of the matter the application was made under.</summary>
    public int? MatterVersion { get; init; }

    /// <summary>The bundle code, on the parent and its children.</summary>
    public string? BundleCode { get; init; }

    /// <summary>The matter's, bundle's or policy's name.</summary>
    public required string Name { get; init; }

    /// <summary>The lead department's code.</summary>
    public required string Department { get; init; }

    /// <summary>The workflow definition the case runs on.</summary>
    public required string Workflow { get; init; }

    /// <summary>The business key of its workflow instance (the number, or <c>parent/matters/n</c> for a child).</summary>
    public required string Correlation { get; init; }

    /// <summary>Channel.</summary>
    public Channel Channel { get; init; }

    /// <summary>The enterprise applying (its USCC).</summary>
    public string? ApplicantUscc { get; init; }

    /// <summary>The G60 partner city (GB/T 2260 code) that filed it, on the <see cref="Channel.PartnerCity"/> channel.</summary>
    public string? PartnerCity { get; init; }

    /// <summary>
    /// The G60 city (division code) whose authority handles the application (收受分离): received here and forwarded
    /// there by the exchange, never worked by this platform's caseworkers; null when handled here.
    /// </summary>
    public string? HandledByCity { get; init; }

    /// <summary>The applicant's name.</summary>
    public required string ApplicantName { get; init; }

    /// <summary>The user who submitted it: the enterprise user, the window clerk, the partner city's client.</summary>
    public required string SubmittedBy { get; init; }

    /// <summary>The form as submitted (JSON).</summary>
    public required string Form { get; set; }

    /// <summary>Whether the applicant chose commitment-based approval (承诺办).</summary>
    public bool CommitmentBased { get; init; }

    /// <summary>Visits to a service centre the matter still requires (跑动次数).</summary>
    public int VisitsRequired { get; init; }

    /// <summary>The client's Idempotency-Key, unique per submitter.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Status.</summary>
    public ApplicationStatus Status { get; set; }

    /// <summary>The end result: approved, rejected, revoked, declined, completed (bundle), withdrawn.</summary>
    public string? Outcome { get; set; }

    /// <summary>Why it was rejected, or what the applicant must correct.</summary>
    public string? Reason { get; set; }

    /// <summary>Material codes the applicant must correct (补正), while a correction is open.</summary>
    public List<string> CorrectionMaterials { get; set; } = [];

    /// <summary>The USCC the enterprise register assigned when it registered the enterprise this application established (设立登记).</summary>
    public string? AssignedUscc { get; set; }

    /// <summary>What approving the matter means, as the catalog declared it when the application was submitted (JSON, <see cref="MatterOutcome"/>).</summary>
    public string? ApprovalOutcome { get; init; }

    /// <summary>Materials, as required by the matter.</summary>
    public List<ApplicationMaterial> Materials { get; init; } = [];

    /// <summary>The electronic licences issued on this application (办理结果).</summary>
    public List<ApplicationResult> Results { get; init; } = [];

    /// <summary>Submitted.</summary>
    public DateTimeOffset SubmittedAt { get; init; }

    /// <summary>Accepted (受理).</summary>
    public DateTimeOffset? AcceptedAt { get; set; }

    /// <summary>Approved or rejected.</summary>
    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>Completed (办结).</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>The promised deadline (承诺时限), from submission.</summary>
    public DateTimeOffset? PromisedDueAt { get; init; }

    /// <summary>The statutory deadline, as the workflow's clock keeps it (null while paused).</summary>
    public DateTimeOffset? StatutoryDueAt { get; set; }

    /// <summary>Whether the statutory clock is paused (补正).</summary>
    public bool ClockPaused { get; set; }

    /// <summary>Working days from submission to completion, not counting paused days.</summary>
    public int? WorkingDaysTaken { get; set; }

    /// <summary>Completed within its statutory (or promised) limit.</summary>
    public bool? OnTime { get; set; }

    /// <summary>The workflow instance.</summary>
    public Guid? WorkflowInstanceId { get; set; }

    /// <summary>The applicant's rating (好差评), 1–5.</summary>
    public int? Rating { get; set; }

    /// <summary>The applicant's comment with the rating.</summary>
    public string? RatingComment { get; set; }

    /// <summary>When it was rated.</summary>
    public DateTimeOffset? RatedAt { get; set; }

    /// <summary>For a benefit: the policy radar's offer id (one case per offer).</summary>
    public Guid? OfferId { get; init; }

    /// <summary>Optimistic concurrency.</summary>
    public int Version { get; set; }

    /// <summary>
    /// How many status events (accepted, correction requested, resubmitted, approved, rejected, completed) the case has
    /// published: each carries its number, so a consumer reading several topics can put them back in the case's order.
    /// </summary>
    public int StatusSequence { get; private set; }

    /// <summary>Numbers the next status event.</summary>
    public int NextStatusSequence() => ++StatusSequence;

    /// <summary>Whether the case is still being handled.</summary>
    public bool IsOpen => Status is not ApplicationStatus.Completed;
}

/// <summary>An electronic licence issued on an application.</summary>
public sealed class ApplicationResult
{
    /// <summary>The licence number.</summary>
    public required string LicenceNumber { get; init; }

    /// <summary>The licence type.</summary>
    public required string TypeCode { get; init; }

    /// <summary>First day of validity.</summary>
    public DateOnly ValidFrom { get; init; }

    /// <summary>Last day of validity; none for long-term licences.</summary>
    public DateOnly? ValidUntil { get; init; }
}

/// <summary>How a required material was provided.</summary>
public enum MaterialSource
{
    /// <summary>Not provided yet.</summary>
    Missing,

    /// <summary>An uploaded file.</summary>
    Upload,

    /// <summary>Proven by a valid electronic licence the applicant holds (减材料): no upload.</summary>
    Licence,

    /// <summary>
    /// Provided within the same 一件事 bundle: the licence another of its matters issues (e.g. the business licence
    /// of 企业开办's establishment serves the seal, tax, social insurance and bank matters).
    /// </summary>
    Bundle,
}

/// <summary>One material of an application.</summary>
public sealed class ApplicationMaterial
{
    /// <summary>The matter's material code.</summary>
    public required string Code { get; init; }

    /// <summary>Its name.</summary>
    public required string Name { get; init; }

    /// <summary>Whether the matter requires it.</summary>
    public bool Required { get; init; }

    /// <summary>How it was provided.</summary>
    public MaterialSource Source { get; set; }

    /// <summary>The upload, when uploaded.</summary>
    public Guid? UploadId { get; set; }

    /// <summary>File name.</summary>
    public string? FileName { get; set; }

    /// <summary>Content type.</summary>
    public string? ContentType { get; set; }

    /// <summary>Size in bytes.</summary>
    public long? Size { get; set; }

    /// <summary>SHA-256 of the content, hex.</summary>
    public string? Sha256 { get; set; }

    /// <summary>The licence that stands in for it (减材料).</summary>
    public string? LicenceNumber { get; set; }

    /// <summary>The licence type.</summary>
    public string? LicenceType { get; set; }
}
