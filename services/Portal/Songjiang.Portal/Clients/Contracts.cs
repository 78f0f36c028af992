using System.Text.Json;

namespace Songjiang.Portal.Clients;

// The portal's own copies of the fields it reads from the platform's APIs (consumers keep their own contracts).

/// <summary>A page of a list API.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

/// <summary>An application in a list (cases).</summary>
public sealed record ApplicationSummary(
    string Number, string Kind, string? MatterCode, string? BundleCode, string Name, string Department, string? ApplicantUscc,
    string ApplicantName, string Channel, string Status, string? Outcome, DateTimeOffset SubmittedAt, DateTimeOffset? CompletedAt,
    DateTimeOffset? StatutoryDueAt, bool ClockPaused)
{
    /// <summary>What the application asks of the applicant now, when the list carries it.</summary>
    public ApplicantAsk? Ask { get; init; }
}

/// <summary>A material of an application and how it was provided.</summary>
public sealed record MaterialView(
    string Code, string Name, bool Required, string Source, string? FileName, long? Size, string? Sha256, string? LicenceNumber, string? LicenceType);

/// <summary>What the applicant is asked to do now.</summary>
public sealed record ApplicantAsk(string Action, IReadOnlyList<string> Materials, string? Note, DateTimeOffset? DueAt, string Application)
{
    /// <summary>The materials' Chinese names, in the same order (a correction request).</summary>
    public IReadOnlyList<string>? MaterialNames { get; init; }
}

/// <summary>A licence issued on an application.</summary>
public sealed record ResultView(string LicenceNumber, string TypeCode, DateOnly ValidFrom, DateOnly? ValidUntil, string VerificationPath);

/// <summary>An application with everything the applicant and the caseworker see.</summary>
public sealed record ApplicationView(
    ApplicationSummary Summary, string? ParentNumber, int? MatterVersion, JsonElement Form, bool CommitmentBased,
    IReadOnlyList<MaterialView> Materials, string? Reason, IReadOnlyList<string> CorrectionMaterials, ApplicantAsk? Ask,
    DateTimeOffset? AcceptedAt, DateTimeOffset? DecidedAt, DateTimeOffset? PromisedDueAt, int? WorkingDaysTaken, bool? OnTime,
    IReadOnlyList<ResultView> Results, int? Rating, string? RatingComment, IReadOnlyList<ApplicationSummary> Children);

/// <summary>One entry of an application's timeline.</summary>
public sealed record TimelineEntry(DateTimeOffset At, string Application, string Event, string? Step, string? By, string? Detail);

/// <summary>A caseworker's task.</summary>
public sealed record TaskView(
    Guid Id, string ApplicationNumber, string ApplicationName, string? MatterCode, string? ApplicantUscc, string Step,
    string? Title, string Department, IReadOnlyList<string> Roles, IReadOnlyList<string> Actions, string Status,
    DateTimeOffset OpenedAt, DateTimeOffset? DueAt, int? RemainingWorkingDays, bool Overdue, bool Escalated,
    string? ClaimedBy, string? ClaimedByName, string? Action, string? Opinion, DateTimeOffset? ClosedAt);

/// <summary>A matter in the catalog list.</summary>
public sealed record MatterSummary(
    string Code, int Version, string Name, string Department, int PromisedLimitDays, IReadOnlyList<string> HandlingModes,
    int VisitsRequired, bool CrossProvince, string? ApprovingCityName = null);

/// <summary>A material a matter asks for.</summary>
public sealed record MatterMaterial(string Code, string Name, bool Required, IReadOnlyList<string> AcceptedLicenceTypes);

/// <summary>A matter with its form schema and materials.</summary>
public sealed record MatterView(
    string Code, int Version, string Name, string Department, string DepartmentName, IReadOnlyList<string> LegalBasis,
    int StatutoryLimitDays, int PromisedLimitDays, IReadOnlyList<string> HandlingModes, int VisitsRequired, bool CrossProvince,
    IReadOnlyList<MatterMaterial> Materials, JsonElement FormSchema, string? ApprovingCityName = null);

/// <summary>A licence as lists show it; one another G60 city issued names that city (<c>IssuingCityName</c>).</summary>
public sealed record LicenceSummary(
    string Number, string TypeCode, string HolderName, string HolderUscc, string IssuerCode, DateOnly IssueDate,
    DateOnly ValidFrom, DateOnly? ValidUntil, string Status, string? StatusReason, DateTimeOffset? StatusChangedAt,
    string? ApplicationId, string KeyId, string? VerificationUrl, string? IssuingCityName = null);

/// <summary>A licence type with its Chinese name.</summary>
public sealed record LicenceType(string Code, string Name, string AuthorityCode, string AuthorityName);

/// <summary>The public verification of a licence.</summary>
public sealed record LicenceVerification(
    string Outcome, IReadOnlyList<string> Reasons, string? LicenceNumber, string? TypeCode, string? HolderName, string? HolderUscc,
    string? IssuerCode, string? IssuerName, string? KeyId, string? KeySource, DateTimeOffset CheckedAt);

/// <summary>The calling enterprise's profile.</summary>
public sealed record EnterpriseProfile(
    string Uscc, string Name, string? LegalRepresentative, string? RegisteredAddress, string? LocationName, string? IndustryCode,
    string Stage, string? CreditRating);

/// <summary>A policy as matches show it.</summary>
public sealed record PolicyRef(
    Guid PolicyId, int Version, string Title, string Level, string IssuingBody, string? DocumentNumber, string? BenefitType,
    decimal? BenefitAmount, bool ExemptFromApplication);

/// <summary>A policy the enterprise qualifies for, with why.</summary>
public sealed record PolicyMatch(PolicyRef Policy, IReadOnlyList<string> Reasons);

/// <summary>The radar's answer for an enterprise.</summary>
public sealed record EnterpriseMatches(string Uscc, string Name, int EligibleCount, IReadOnlyList<PolicyMatch> Eligible);

/// <summary>A published policy in a search result, with highlights.</summary>
public sealed record PolicyHit(
    Guid PolicyId, int Version, string Title, string? TitleHighlighted, string? Snippet, string Level, string IssuingBody,
    string? DocumentNumber, string? BenefitType, decimal? BenefitAmount, bool ExemptFromApplication, bool OpenNow,
    IReadOnlyList<string> Topics, DateOnly? EffectiveFrom, DateOnly? ExpiresOn);

/// <summary>One value of a facet and how many policies have it.</summary>
public sealed record FacetValue(string Value, int Count);

/// <summary>A search result page with facets.</summary>
public sealed record PolicySearchResult(
    IReadOnlyList<PolicyHit> Items, int Page, int PageSize, int Total, IReadOnlyDictionary<string, IReadOnlyList<FacetValue>> Facets);

/// <summary>A policy in the officers' list.</summary>
public sealed record ManagedPolicy(
    Guid Id, int LatestVersion, int? PublishedVersion, string Status, string Title, string Level, string IssuingBody, string? DocumentNumber,
    DateTimeOffset UpdatedAt);

/// <summary>A policy with the version shown.</summary>
public sealed record PolicyDetail(Guid Id, int LatestVersion, int? PublishedVersion, JsonElement Version);

/// <summary>Applications of one matter by status.</summary>
public sealed record MatterMetrics(string MatterCode, string Name, int Total, IReadOnlyDictionary<string, int> ByStatus);

/// <summary>The cases service's figures.</summary>
public sealed record CaseMetrics(
    string? Department, int Applications, int Completed, int CompletedOnTime, double? OnTimeRate, double? AverageWorkingDays,
    int VisitsAvoided, int Rated, double? AverageRating, int PoorRatings, IReadOnlyList<MatterMetrics> Matters);

/// <summary>An event a service gave up on.</summary>
public sealed record DeadLetter(string MessageId, string Topic, DateTimeOffset? DeadLetteredAt, string Reason, string Envelope);

/// <summary>A message in the signed-in user's inbox (notifications).</summary>
public sealed record NotificationItem(
    Guid Id, long Sequence, string Category, string CategoryName, string Title, string Body, string? Link, string? Subject,
    DateTimeOffset OccurredAt, DateTimeOffset CreatedAt, bool Read, DateTimeOffset? ReadAt);

/// <summary>How many messages are unread (notifications).</summary>
public sealed record UnreadCount(int Unread);

/// <summary>One clause of a policy's criteria, judged for one enterprise (policy radar).</summary>
public sealed record ClauseVerdict(
    string Path, string Kind, string Description, bool Met, string? Actual, string? Required, IReadOnlyList<ClauseVerdict> Children);

/// <summary>Eligible or not, with every clause explained (policy radar).</summary>
public sealed record PolicyVerdict(bool Eligible, ClauseVerdict Explanation, IReadOnlyList<ClauseVerdict> Missing);

/// <summary>One enterprise against a policy's newest version (policy radar).</summary>
public sealed record EnterpriseTrial(string Uscc, string Name, PolicyVerdict Verdict, bool EligibleNow);

/// <summary>What a policy's newest version would do if published (policy radar).</summary>
public sealed record PolicyPreview(
    Guid PolicyId, int Version, string Status, int? PublishedVersion, DateOnly On, int Enterprises, int Eligible, int EligibleNow,
    int NewlyQualifying, int NoLongerQualifying, EnterpriseTrial? Enterprise);

/// <summary>A case's workflow as a graph with the steps it waits at (cases).</summary>
public sealed record CaseWorkflow(
    string Application, string Definition, int Version, string Status, string? Outcome,
    IReadOnlyList<Songjiang.Portal.Components.Shared.WorkflowGraph.Node> Nodes,
    IReadOnlyList<Songjiang.Portal.Components.Shared.WorkflowGraph.Edge> Edges, IReadOnlyList<string> Current, bool HasIncident);

/// <summary>免申即享 take-up (cases).</summary>
public sealed record BenefitMetrics(string? Department, int Offered, int Confirmed, int Declined, int Open, int Other, double? TakeUpRate);

/// <summary>One month's pushes (policy radar).</summary>
public sealed record MonthPushes(string Month, int Matches, int SubscriptionMatches, int Offers);

/// <summary>Pushes over the last twelve months (policy radar).</summary>
public sealed record PushMetrics(int Matches, int SubscriptionMatches, int Offers, int Enterprises, IReadOnlyList<MonthPushes> Months);

/// <summary>Messages with one partner city in one direction with one outcome (exchange).</summary>
public sealed record VolumeLine(string City, string Direction, string Outcome, int Count);

/// <summary>Cross-city volumes (exchange).</summary>
public sealed record ExchangeMetrics(IReadOnlyList<VolumeLine> Messages, int Applications, IReadOnlyDictionary<string, int> Deliveries, DateTimeOffset At);

/// <summary>A published workflow definition version (cases administration).</summary>
public sealed record WorkflowDefinitionSummary(string Name, int Version, string? Title, DateTimeOffset PublishedAt, int ActiveInstances);

/// <summary>One definition version with its graph (cases administration).</summary>
public sealed record WorkflowDefinitionGraph(
    string Name, int Version, string? Title, int? StatutoryWorkingDays, DateTimeOffset PublishedAt,
    IReadOnlyList<Songjiang.Portal.Components.Shared.WorkflowGraph.Node> Nodes,
    IReadOnlyList<Songjiang.Portal.Components.Shared.WorkflowGraph.Edge> Edges);

/// <summary>A workflow instance (cases administration).</summary>
public sealed record WorkflowInstanceSummary(
    Guid Id, string Definition, int Version, string Correlation, string Status, DateTimeOffset StartedAt, DateTimeOffset? EndedAt,
    DateTimeOffset? StatutoryDueAt, bool ClockPaused, IReadOnlyList<string> WaitingAt);

/// <summary>A faulted step waiting for an administrator (cases administration).</summary>
public sealed record WorkflowIncident(
    Guid InstanceId, string Correlation, string Definition, int Version, Guid TokenId, string Step, string Error, DateTimeOffset Since);

/// <summary>What a retry did (cases administration).</summary>
public sealed record WorkflowRetryResult(bool Applied, string? Reason, IReadOnlyList<Guid> OpenTaskIds);
