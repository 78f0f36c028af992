using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace Songjiang.Workflows;

/// <summary>
/// Lets the host keep its own rows in step with the workflow — a case's status, a work list with claims and
/// filters — inside the resume transaction. Each call receives the DbContext being saved; the host may add or
/// change its own entities there (they commit with the step) but must not save or commit. An exception rolls the
/// whole step back, as a crash would.
/// </summary>
public interface IWorkflowListener
{
    /// <summary>A user task opened.</summary>
    Task TaskOpenedAsync(DbContext db, WorkflowTaskOpened task, CancellationToken cancellationToken);

    /// <summary>A user task closed: completed with an action, or cancelled (join, interrupt, end of the instance).</summary>
    Task TaskClosedAsync(DbContext db, WorkflowTaskClosed task, CancellationToken cancellationToken);

    /// <summary>An instance reached an end node or was cancelled with its parent's task.</summary>
    Task InstanceEndedAsync(DbContext db, WorkflowInstanceEnded instance, CancellationToken cancellationToken);
}

/// <summary>A user task that opened.</summary>
/// <param name="TaskId">The task id.</param>
/// <param name="InstanceId">The instance.</param>
/// <param name="CorrelationId">The instance's business key.</param>
/// <param name="DefinitionName">The definition the instance runs.</param>
/// <param name="NodeId">The user-task node.</param>
/// <param name="Title">The node's title.</param>
/// <param name="Department">The candidate department (fixed, or read from the data).</param>
/// <param name="Roles">Candidate roles.</param>
/// <param name="Actions">Allowed actions.</param>
/// <param name="OpenedAt">When it opened.</param>
/// <param name="DueAt">Its deadline, when the node sets one.</param>
/// <param name="PausesClock">Whether the statutory clock stops while it is open (补正).</param>
/// <param name="StatutoryDueAt">The instance's statutory deadline after this step (null while paused or unset).</param>
/// <param name="Status">The status the definition declares for the subject while this task is open, if any.</param>
public sealed record WorkflowTaskOpened(
    Guid TaskId, Guid InstanceId, string CorrelationId, string DefinitionName, string NodeId, string? Title,
    string Department, IReadOnlyList<string> Roles, IReadOnlyList<string> Actions, DateTimeOffset OpenedAt,
    DateTimeOffset? DueAt, bool PausesClock, DateTimeOffset? StatutoryDueAt, string? Status = null)
{
    /// <summary>The only user who may act on the task (a signer added by 加签); null for the department's queue.</summary>
    public string? Assignee { get; init; }

    /// <summary>Whether the task is one signer's part of a 会签 step.</summary>
    public bool Countersign { get; init; }
}

/// <summary>A user task that closed.</summary>
/// <param name="TaskId">The task id.</param>
/// <param name="InstanceId">The instance.</param>
/// <param name="CorrelationId">The instance's business key.</param>
/// <param name="NodeId">The user-task node.</param>
/// <param name="Completed">True when completed by a person; false when cancelled.</param>
/// <param name="Action">The action taken, when completed.</param>
/// <param name="Result">The stored result (action, actor and payload), when completed.</param>
/// <param name="ClosedAt">When it closed.</param>
/// <param name="StatutoryDueAt">The instance's statutory deadline after this step (it moves when 补正 ends).</param>
public sealed record WorkflowTaskClosed(
    Guid TaskId, Guid InstanceId, string CorrelationId, string NodeId, bool Completed, string? Action,
    JsonObject? Result, DateTimeOffset ClosedAt, DateTimeOffset? StatutoryDueAt);

/// <summary>An instance that ended.</summary>
/// <param name="InstanceId">The instance.</param>
/// <param name="CorrelationId">The business key.</param>
/// <param name="DefinitionName">The definition it ran.</param>
/// <param name="Status">Completed, or cancelled with its parent's task.</param>
/// <param name="Outcome">The end node's outcome, when completed.</param>
/// <param name="EndedAt">When it ended.</param>
/// <param name="StatutoryDueAt">Its statutory deadline, if any.</param>
/// <param name="Data">The instance data at the end (task results under their node ids).</param>
public sealed record WorkflowInstanceEnded(
    Guid InstanceId, string CorrelationId, string DefinitionName, WorkflowInstanceStatus Status, string? Outcome,
    DateTimeOffset EndedAt, DateTimeOffset? StatutoryDueAt, JsonObject Data);
