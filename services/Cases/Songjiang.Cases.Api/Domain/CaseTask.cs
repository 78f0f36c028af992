using Songjiang.ServiceDefaults.Authentication;

namespace Songjiang.Cases.Api.Domain;

/// <summary>State of a work-list task.</summary>
public enum CaseTaskStatus
{
    /// <summary>Waiting for someone.</summary>
    Open,

    /// <summary>Done, with an action.</summary>
    Completed,

    /// <summary>No longer needed (the case moved on or ended).</summary>
    Cancelled,
}

/// <summary>
/// A task in a work list: a projection of an open workflow user task, with what the workflow does not know —
/// who claimed it, and the case it belongs to for filtering. Its id is the workflow task id.
/// </summary>
public sealed class CaseTask
{
    /// <summary>The workflow task id.</summary>
    public Guid Id { get; init; }

    /// <summary>The application.</summary>
    public Guid ApplicationId { get; init; }

    /// <summary>Its number.</summary>
    public required string ApplicationNumber { get; init; }

    /// <summary>The matter (or bundle, or policy) name.</summary>
    public required string ApplicationName { get; init; }

    /// <summary>The matter code, for filters.</summary>
    public string? MatterCode { get; init; }

    /// <summary>The applicant's USCC.</summary>
    public string? ApplicantUscc { get; init; }

    /// <summary>The workflow node (accept, review, decide, verify, correction, …).</summary>
    public required string NodeId { get; init; }

    /// <summary>The node's title.</summary>
    public string? Title { get; init; }

    /// <summary>Candidate department, or <c>applicant</c> for the applicant's own tasks.</summary>
    public required string Department { get; init; }

    /// <summary>Candidate roles, comma-separated.</summary>
    public required string Roles { get; init; }

    /// <summary>Allowed actions, comma-separated.</summary>
    public required string Actions { get; init; }

    /// <summary>Opened.</summary>
    public DateTimeOffset OpenedAt { get; init; }

    /// <summary>Due (working days from opening), if the step has a time limit.</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>Status.</summary>
    public CaseTaskStatus Status { get; set; }

    /// <summary>Who claimed it.</summary>
    public string? ClaimedBy { get; set; }

    /// <summary>Their display name.</summary>
    public string? ClaimedByName { get; set; }

    /// <summary>When.</summary>
    public DateTimeOffset? ClaimedAt { get; set; }

    /// <summary>Who completed it.</summary>
    public string? CompletedBy { get; set; }

    /// <summary>The action taken.</summary>
    public string? Action { get; set; }

    /// <summary>The opinion given (审查意见).</summary>
    public string? Opinion { get; set; }

    /// <summary>Closed.</summary>
    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>Escalated (督办) after it fell overdue.</summary>
    public bool Escalated { get; set; }

    /// <summary>Optimistic concurrency, so two claims cannot both win.</summary>
    public int Version { get; set; }

    /// <summary>The roles as a list.</summary>
    public IReadOnlyList<string> RoleList => Roles.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The actions as a list.</summary>
    public IReadOnlyList<string> ActionList => Actions.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// Actions a workflow offers on a caseworker's task that only the applicant takes, through the application
    /// (撤回 before 受理): hidden from caseworkers and refused when they send them.
    /// </summary>
    public static readonly IReadOnlySet<string> ApplicantActions = new HashSet<string>(StringComparer.Ordinal) { "withdraw" };

    /// <summary>The actions a caseworker may take on this task.</summary>
    public IReadOnlyList<string> CaseworkerActions() =>
        Department == Caller.ApplicantDepartment ? ActionList : [.. ActionList.Where(a => !ApplicantActions.Contains(a))];
}

/// <summary>An uploaded file waiting to be attached to an application, or attached to one.</summary>
public sealed class Upload
{
    /// <summary>Id.</summary>
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>The user who uploaded it; only they can attach it.</summary>
    public required string Owner { get; init; }

    /// <summary>File name as given.</summary>
    public required string FileName { get; init; }

    /// <summary>Content type, checked against the file's first bytes.</summary>
    public required string ContentType { get; init; }

    /// <summary>Size in bytes.</summary>
    public long Size { get; init; }

    /// <summary>SHA-256 of the content, hex.</summary>
    public required string Sha256 { get; init; }

    /// <summary>The storage key.</summary>
    public required string StorageKey { get; init; }

    /// <summary>Uploaded.</summary>
    public DateTimeOffset UploadedAt { get; init; }

    /// <summary>The application it is attached to, once attached.</summary>
    public Guid? ApplicationId { get; set; }
}
