namespace Songjiang.Cases.Api.Domain;

/// <summary>
/// One event of a work-list task in a case's audit history: opened, claimed, released, reassigned, sent back,
/// co-signed, signer added, transferred, completed or cancelled. Written once, by <c>TaskJournal</c>, whichever
/// API, page or workflow step caused it.
/// </summary>
public sealed class TaskEvent
{
    /// <summary>Id (time-ordered).</summary>
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>The task.</summary>
    public Guid TaskId { get; init; }

    /// <summary>The application the task belongs to.</summary>
    public Guid ApplicationId { get; init; }

    /// <summary>Its number.</summary>
    public required string ApplicationNumber { get; init; }

    /// <summary>What happened (<see cref="TaskEventKinds"/>).</summary>
    public required string Kind { get; init; }

    /// <summary>The step's title, e.g. 审查.</summary>
    public string? Step { get; init; }

    /// <summary>Who did it: a user id, or <c>system</c>.</summary>
    public required string ActorId { get; init; }

    /// <summary>Their display name.</summary>
    public required string ActorName { get; init; }

    /// <summary>The task's department when it happened.</summary>
    public string? Department { get; init; }

    /// <summary>The opinion, reason or target, in Chinese.</summary>
    public string? Detail { get; init; }

    /// <summary>When.</summary>
    public DateTimeOffset At { get; init; }
}

/// <summary>The kinds of <see cref="TaskEvent"/>, as the audit history names them on the wire.</summary>
public static class TaskEventKinds
{
    /// <summary>The task opened in a queue, or for a named signer.</summary>
    public const string Opened = "opened";

    /// <summary>A caseworker claimed it.</summary>
    public const string Claimed = "claimed";

    /// <summary>Given back to the queue.</summary>
    public const string Released = "released";

    /// <summary>Handed to another caseworker by the department's approver.</summary>
    public const string Reassigned = "reassigned";

    /// <summary>Sent back (退回) to an earlier step.</summary>
    public const string SentBack = "sent-back";

    /// <summary>One signer's part of a 会签, or an added signer's opinion.</summary>
    public const string CoSigned = "co-signed";

    /// <summary>The holder added a signer (加签).</summary>
    public const string SignerAdded = "signer-added";

    /// <summary>Handed to another department's queue (转办).</summary>
    public const string Transferred = "transferred";

    /// <summary>Completed with an action.</summary>
    public const string Completed = "completed";

    /// <summary>No longer needed (the case moved on, a quorum was reached, the procedure version changed).</summary>
    public const string Cancelled = "cancelled";

    /// <summary>The Chinese name of a kind, for the history a person reads.</summary>
    public static string NameOf(string kind) => kind switch
    {
        Opened => "任务生成",
        Claimed => "签收",
        Released => "退回待办池",
        Reassigned => "改派",
        SentBack => "退回",
        CoSigned => "会签",
        SignerAdded => "加签",
        Transferred => "转办",
        Completed => "办理",
        Cancelled => "任务撤销",
        _ => kind,
    };
}

/// <summary>A caseworker's saved, not yet submitted opinion and form on a task (草稿).</summary>
public sealed class TaskDraft
{
    /// <summary>The task.</summary>
    public Guid TaskId { get; init; }

    /// <summary>The caseworker whose draft it is.</summary>
    public required string Owner { get; init; }

    /// <summary>The action they intend, if chosen.</summary>
    public string? Action { get; set; }

    /// <summary>The opinion so far.</summary>
    public string? Opinion { get; set; }

    /// <summary>The form as JSON, if the step has one.</summary>
    public string? Form { get; set; }

    /// <summary>Last saved.</summary>
    public DateTimeOffset SavedAt { get; set; }
}
