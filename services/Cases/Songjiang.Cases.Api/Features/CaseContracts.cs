using System.Text.Json;
using Songjiang.Cases.Api.Domain;
using Songjiang.Workflows.Calendar;

namespace Songjiang.Cases.Api.Features;

/// <summary>Submits an application for a matter or a 一件事 bundle.</summary>
/// <param name="MatterCode">The matter (give this or <paramref name="BundleCode"/>).</param>
/// <param name="BundleCode">The bundle.</param>
/// <param name="Form">The application form, checked against the matter's or bundle's schema.</param>
/// <param name="Materials">
/// Uploads by material code (<c>articles</c>); for a bundle also by <c>matterCode/materialCode</c>. A material a valid
/// electronic licence of the applicant can prove needs no upload.
/// </param>
/// <param name="Commitment">Apply on commitment (告知承诺), where the matter allows it and the applicant's credit does.</param>
/// <param name="ApplicantUscc">For window clerks and partner cities: the enterprise applied for.</param>
/// <param name="ApplicantName">For window clerks and partner cities: its name.</param>
/// <param name="PartnerCity">
/// For the exchange service (a platform service account) filing for a G60 partner city: the city's division code.
/// </param>
/// <param name="Authorisation">
/// For window clerks (代办): the upload of the enterprise's signed and sealed power of attorney (授权委托书), kept with
/// the application as its material <c>authorisation</c>.
/// </param>
public sealed record SubmitApplicationRequest(
    string? MatterCode, string? BundleCode, JsonElement? Form, Dictionary<string, Guid>? Materials, bool Commitment,
    string? ApplicantUscc, string? ApplicantName, string? PartnerCity = null, Guid? Authorisation = null);

/// <summary>Resubmits after a correction request (补正).</summary>
/// <param name="Materials">New uploads for the materials asked for, by material code.</param>
/// <param name="Note">A note to the caseworker.</param>
public sealed record ResubmitRequest(Dictionary<string, Guid>? Materials, string? Note);

/// <summary>Withdraws an application before it is accepted (受理), or while it waits for a correction; the reason is recorded.</summary>
public sealed record WithdrawRequest(string? Reason);

/// <summary>The applicant's answer to a 免申即享 benefit.</summary>
/// <param name="Accept">True to confirm, false to decline.</param>
public sealed record ConfirmBenefitRequest(bool? Accept);

/// <summary>Completes a task.</summary>
/// <param name="Action">One of the task's actions (accept, correct, reject, approve, confirm, broken, resolve …).</param>
/// <param name="Opinion">The opinion (审查意见); required to reject, to request a correction and to report a broken commitment.</param>
/// <param name="Materials">For <c>correct</c>: the material codes the applicant must fix.</param>
public sealed record CompleteTaskRequest(string? Action, string? Opinion, IReadOnlyList<string>? Materials);

/// <summary>Hands a task to another caseworker of the department (by the department's approver).</summary>
/// <param name="UserId">The caseworker's user id.</param>
/// <param name="Name">Their name, for the work list.</param>
/// <remarks>The caseworker is checked against the staff directory and named as it names them; <c>name</c>, if sent, is ignored.</remarks>
public sealed record ReassignTaskRequest(string? UserId, string? Name = null);

/// <summary>退回: the earlier step (node id, as <c>step</c> in task views and the definition graph) and why.</summary>
public sealed record SendBackRequest(string? ToStep, string? Reason);

/// <summary>转办: the department whose queue takes the task, and why.</summary>
public sealed record TransferTaskRequest(string? Department, string? Reason);

/// <summary>
/// 加签: <c>before</c> (the signer gives an opinion first, then the task comes back) or <c>after</c> (the signer takes
/// the decision after the caller's opinion); the signer's user id and name, their department (default: the task's)
/// and role (default: the task's first role), and the caller's opinion.
/// </summary>
public sealed record AddSignerRequest(string? Position, string? UserId, string? Name, string? Department, string? Role, string? Opinion);

/// <summary>A draft of a task's opinion and form (草稿).</summary>
public sealed record TaskDraftRequest(string? Action, string? Opinion, JsonElement? Form);

/// <summary>A saved draft.</summary>
public sealed record TaskDraftView(Guid TaskId, string? Action, string? Opinion, JsonElement? Form, DateTimeOffset SavedAt);

/// <summary>One event of a case's audit history, in Chinese with the actor's name.</summary>
/// <param name="At">When (+08:00).</param>
/// <param name="Application">The application (a bundle's history includes its matters').</param>
/// <param name="TaskId">The task.</param>
/// <param name="Event">What happened: opened, claimed, released, reassigned, sent-back, co-signed, signer-added, transferred, completed, cancelled.</param>
/// <param name="EventName">Its Chinese name, e.g. 退回.</param>
/// <param name="Step">The step's title.</param>
/// <param name="By">The actor's user id, or <c>system</c>.</param>
/// <param name="ByName">The actor's name.</param>
/// <param name="Department">The task's department.</param>
/// <param name="Detail">Opinion, reason or target.</param>
public sealed record AuditEntry(
    DateTimeOffset At, string Application, Guid TaskId, string Event, string EventName, string? Step, string By, string ByName,
    string? Department, string? Detail);

/// <summary>An uploaded file.</summary>
public sealed record UploadView(Guid Id, string FileName, string ContentType, long Size, string Sha256, DateTimeOffset UploadedAt)
{
    /// <summary>Projects an upload.</summary>
    public static UploadView Of(Upload u) => new(u.Id, u.FileName, u.ContentType, u.Size, u.Sha256, u.UploadedAt);
}

/// <summary>A material of an application and how it was provided.</summary>
public sealed record MaterialView(
    string Code, string Name, bool Required, string Source, string? FileName, long? Size, string? Sha256,
    string? LicenceNumber, string? LicenceType)
{
    /// <summary>Projects a material.</summary>
    public static MaterialView Of(ApplicationMaterial m) => new(
        m.Code, m.Name, m.Required, m.Source.ToString().ToLowerInvariant(), m.FileName, m.Size, m.Sha256, m.LicenceNumber, m.LicenceType);
}

/// <summary>What the applicant is asked to do now.</summary>
/// <param name="Action"><c>resubmit</c> (补正), <c>confirm</c> (免申即享) or <c>rate</c>.</param>
/// <param name="Materials">For a correction: the materials to fix.</param>
/// <param name="Note">The caseworker's note.</param>
/// <param name="DueAt">By when.</param>
/// <param name="Application">The application to answer on (a bundle's matter, for a bundle).</param>
public sealed record ApplicantAsk(string Action, IReadOnlyList<string> Materials, string? Note, DateTimeOffset? DueAt, string Application)
{
    /// <summary>The Chinese names of <see cref="Materials"/>, in the same order (a correction request).</summary>
    public IReadOnlyList<string>? MaterialNames { get; init; }
}

/// <summary>An application in a list.</summary>
public sealed record ApplicationSummary(
    string Number, string Kind, string? MatterCode, string? BundleCode, string Name, string Department, string? ApplicantUscc,
    string ApplicantName, string Channel, string Status, string? Outcome, DateTimeOffset SubmittedAt, DateTimeOffset? CompletedAt,
    DateTimeOffset? StatutoryDueAt, bool ClockPaused, string? PartnerCity = null)
{
    /// <summary>In a list: what the application (or one of a bundle's matters) asks of the applicant now, if anything.</summary>
    public ApplicantAsk? Ask { get; init; }

    /// <summary>Projects an application.</summary>
    public static ApplicationSummary Of(Application a) => new(
        a.Number, a.Kind.ToString().ToLowerInvariant(), a.MatterCode, a.BundleCode, a.Name, a.Department, a.ApplicantUscc,
        a.ApplicantName, CaseFlow.CaseEvents.ChannelName(a.Channel), StatusName(a.Status), a.Outcome, a.SubmittedAt, a.CompletedAt,
        a.StatutoryDueAt, a.ClockPaused, a.PartnerCity);

    /// <summary>The status as the API spells it.</summary>
    public static string StatusName(ApplicationStatus status) => status switch
    {
        ApplicationStatus.CorrectionRequested => "correction-requested",
        ApplicationStatus.UnderReview => "under-review",
        ApplicationStatus.AwaitingConfirmation => "awaiting-confirmation",
        ApplicationStatus.InProgress => "in-progress",
        _ => status.ToString().ToLowerInvariant(),
    };

    /// <summary>The status as the applicant reads it.</summary>
    public static string StatusText(ApplicationStatus status) => status switch
    {
        ApplicationStatus.Submitted => "待受理",
        ApplicationStatus.CorrectionRequested => "待补正",
        ApplicationStatus.UnderReview => "审查中",
        ApplicationStatus.Approved => "已批准",
        ApplicationStatus.Completed => "已办结",
        ApplicationStatus.AwaitingConfirmation => "待确认",
        ApplicationStatus.InProgress => "办理中",
        _ => "办理中",
    };
}

/// <summary>An application with everything the applicant and the caseworker see.</summary>
public sealed record ApplicationView(
    ApplicationSummary Summary, string? ParentNumber, int? MatterVersion, JsonElement Form, bool CommitmentBased,
    IReadOnlyList<MaterialView> Materials, string? Reason, IReadOnlyList<string> CorrectionMaterials, ApplicantAsk? Ask,
    DateTimeOffset? AcceptedAt, DateTimeOffset? DecidedAt, DateTimeOffset? PromisedDueAt, int? WorkingDaysTaken, bool? OnTime,
    string? AssignedUscc, IReadOnlyList<ResultView> Results, int? Rating, string? RatingComment, IReadOnlyList<ApplicationSummary> Children);

/// <summary>A licence issued on the application, with where anyone can verify it.</summary>
public sealed record ResultView(string LicenceNumber, string TypeCode, DateOnly ValidFrom, DateOnly? ValidUntil, string VerificationPath)
{
    /// <summary>Projects a result.</summary>
    public static ResultView Of(ApplicationResult r) =>
        new(r.LicenceNumber, r.TypeCode, r.ValidFrom, r.ValidUntil, $"/api/licenses/public/verify/{Uri.EscapeDataString(r.LicenceNumber)}");
}

/// <summary>One entry of an application's timeline (全程留痕), in the applicant's terms.</summary>
/// <param name="At">When.</param>
/// <param name="Application">The application (a bundle's timeline includes its children's).</param>
/// <param name="Event">What happened, e.g. <c>submitted</c>, <c>accept</c>, <c>correct</c>, <c>approved</c>.</param>
/// <param name="Step">The step's title, e.g. 受理.</param>
/// <param name="By">The department, or <c>applicant</c>, or <c>system</c>.</param>
/// <param name="Detail">The opinion, outcome or deadline.</param>
/// <param name="ByName">Who, as people read it: the caseworker's or applicant's name, or 系统.</param>
public sealed record TimelineEntry(DateTimeOffset At, string Application, string Event, string? Step, string? By, string? Detail, string? ByName = null);

/// <summary>A task in a work list.</summary>
public sealed record TaskView(
    Guid Id, string ApplicationNumber, string ApplicationName, string? MatterCode, string? ApplicantUscc, string Step,
    string? Title, string Department, IReadOnlyList<string> Roles, IReadOnlyList<string> Actions, string Status,
    DateTimeOffset OpenedAt, DateTimeOffset? DueAt, int? RemainingWorkingDays, bool Overdue, bool Escalated,
    string? ClaimedBy, string? ClaimedByName, string? Action, string? Opinion, DateTimeOffset? ClosedAt)
{
    /// <summary>Projects a task; remaining working days count from <paramref name="now"/>.</summary>
    public static TaskView Of(CaseTask t, DateTimeOffset now) => new(
        t.Id, t.ApplicationNumber, t.ApplicationName, t.MatterCode, t.ApplicantUscc, t.NodeId, t.Title, t.Department, t.RoleList,
        t.CaseworkerActions(), t.Status.ToString().ToLowerInvariant(), t.OpenedAt, t.DueAt,
        t.DueAt is { } due && t.Status == CaseTaskStatus.Open ? Remaining(now, due) : null,
        t.Status == CaseTaskStatus.Open && t.DueAt < now, t.Escalated, t.ClaimedBy, t.ClaimedByName, t.Action, t.Opinion, t.ClosedAt)
    {
        AssignedTo = t.AssignedTo,
        Countersign = t.Countersign,
    };

    /// <summary>The only caseworker who may act on it (a signer added by 加签), if any.</summary>
    public string? AssignedTo { get; init; }

    /// <summary>Whether it is one signer's part of a 会签 step.</summary>
    public bool Countersign { get; init; }

    // Overdue tasks show how many working days they are late, as a negative number.
    private static int Remaining(DateTimeOffset now, DateTimeOffset due) =>
        due >= now ? WorkingDayCalendar.China.RemainingWorkingDays(now, due) : -WorkingDayCalendar.China.RemainingWorkingDays(due, now);
}
