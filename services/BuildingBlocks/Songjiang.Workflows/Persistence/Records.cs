namespace Songjiang.Workflows.Persistence;

// Rows of the runtime's tables. They live in the host's DbContext and are internal: hosts read state through
// IWorkflowRuntime, never by querying these tables.

internal sealed class DefinitionRecord
{
    public required string Name { get; set; }
    public int Version { get; set; }
    public required string Json { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
}

internal sealed class InstanceRecord
{
    public Guid Id { get; set; }
    public required string DefinitionName { get; set; }
    public int DefinitionVersion { get; set; }
    public required string CorrelationId { get; set; }
    public WorkflowInstanceStatus Status { get; set; }
    public string? Outcome { get; set; }
    public required string Data { get; set; }
    public Guid? ParentInstanceId { get; set; }
    public Guid? ParentTokenId { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public DateTimeOffset? StatutoryDueAt { get; set; }
    public DateTimeOffset? ClockPausedAt { get; set; }
    public int? PausedRemainingWorkingDays { get; set; }

    /// <summary>Optimistic concurrency token, bumped by every resume.</summary>
    public int Version { get; set; }
}

internal enum TokenStatus { Waiting = 0, Completed = 1, Cancelled = 2 }

internal sealed class TokenRecord
{
    public Guid Id { get; set; }
    public Guid InstanceId { get; set; }
    public required string NodeId { get; set; }
    public TokenStatus Status { get; set; }

    /// <summary>Path of enclosing fork tokens ("/a/b"); a join counts arrivals within one scope.</summary>
    public required string Scope { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public string? Department { get; set; }
    public string? Roles { get; set; }
    public DateTimeOffset? DueAt { get; set; }
    public bool Escalated { get; set; }
    public int PendingChildren { get; set; }

    /// <summary>Why the token could not leave its node (e.g. a type error in a decision); null when healthy.</summary>
    public string? Incident { get; set; }

    /// <summary>
    /// How a user task was handed out when not simply to its node's queue (JSON of <see cref="Runtime.TaskAssignment"/>):
    /// a named signer added by 加签, a step sent back (退回) that stops the clock; null for an ordinary task.
    /// </summary>
    public string? Assignment { get; set; }
}

internal sealed class BookmarkRecord
{
    public Guid Id { get; set; }
    public Guid InstanceId { get; set; }
    public Guid TokenId { get; set; }
    public required string EventName { get; set; }
    public required string CorrelationKey { get; set; }
}

internal enum TimerStatus { Pending = 0, Fired = 1, Cancelled = 2 }

internal sealed class TimerRecord
{
    public Guid Id { get; set; }
    public Guid InstanceId { get; set; }
    public Guid TokenId { get; set; }
    public required string NodeId { get; set; }
    public string? BoundaryId { get; set; }
    public DateTimeOffset DueAt { get; set; }
    public TimerStatus Status { get; set; }

    /// <summary>Unix milliseconds until which a host's claim holds; a crashed host's claim simply expires.</summary>
    public long ClaimedUntil { get; set; }
    public DateTimeOffset? FiredAt { get; set; }
}

/// <summary>
/// The journal of one step: every entry the step's transaction made for an instance, in order, as a JSON array
/// (<see cref="Runtime.JournalEntries"/>). <see cref="Step"/> is the instance version the step wrote, so the
/// key orders an instance's steps and needs no sequence or second index.
/// </summary>
internal sealed class JournalRecord
{
    public Guid InstanceId { get; set; }
    public int Step { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Entries { get; set; }
}
