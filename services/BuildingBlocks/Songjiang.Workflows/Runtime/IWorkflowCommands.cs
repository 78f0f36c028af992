using System.Text.Json.Nodes;

namespace Songjiang.Workflows;

/// <summary>
/// The commands that move instances. Each runs in one transaction that locks the instance, writes the new state,
/// the journal and the outbox events together; see <see cref="IWorkflowRuntime.Using"/> for joining a transaction
/// the host already opened.
/// </summary>
public interface IWorkflowCommands
{
    /// <summary>Starts an instance on the latest published version of a definition.</summary>
    Task<WorkflowStarted> StartAsync(
        string definitionName, string correlationId, JsonObject? data, WorkflowActor actor, CancellationToken cancellationToken = default);

    /// <summary>Completes a user task; a task that is no longer open is ignored and reported in the result.</summary>
    /// <exception cref="WorkflowTaskForbiddenException">The actor is not a candidate.</exception>
    /// <exception cref="WorkflowActionNotAllowedException">The action is not allowed on the task.</exception>
    Task<WorkflowCommandResult> CompleteTaskAsync(CompleteTaskCommand command, CancellationToken cancellationToken = default);

    /// <summary>Delivers an event to every instance waiting for it with that correlation key.</summary>
    /// <returns>One result per waiting instance; none when nothing waits (a duplicate delivery).</returns>
    Task<IReadOnlyList<WorkflowCommandResult>> RaiseEventAsync(
        string eventName, string correlationKey, JsonObject? payload, CancellationToken cancellationToken = default);

    /// <summary>
    /// Resolves the incidents of a faulted instance (see <see cref="WorkflowInstanceView.Incidents"/>): merges
    /// <paramref name="corrections"/> into the top level of the instance data, journals them with the actor, and
    /// runs the parked tokens again. A token that fails again records a new incident.
    /// </summary>
    /// <returns>Not applied when the instance has no incident.</returns>
    /// <exception cref="WorkflowNotFoundException">No such instance.</exception>
    Task<WorkflowCommandResult> RetryIncidentsAsync(
        Guid instanceId, JsonObject? corrections, WorkflowActor actor, CancellationToken cancellationToken = default);

    /// <summary>Sends a task back (退回) to an earlier user-task step, journaled with the reason.</summary>
    /// <exception cref="WorkflowTaskForbiddenException">The actor does not hold the task.</exception>
    /// <exception cref="WorkflowCommandRefusedException">The step is not earlier, or the task is inside a parallel branch or 会签.</exception>
    Task<WorkflowCommandResult> SendBackAsync(SendBackCommand command, CancellationToken cancellationToken = default);

    /// <summary>Hands a task to another department's queue (转办) among those its step lists.</summary>
    /// <exception cref="WorkflowTaskForbiddenException">The actor does not hold the task.</exception>
    /// <exception cref="WorkflowCommandRefusedException">The step does not allow that department.</exception>
    Task<WorkflowCommandResult> TransferTaskAsync(TransferTaskCommand command, CancellationToken cancellationToken = default);

    /// <summary>Adds a named signer before or after the holder, for this task only (加签).</summary>
    /// <exception cref="WorkflowTaskForbiddenException">The actor does not hold the task.</exception>
    /// <exception cref="WorkflowCommandRefusedException">The step is a 会签, or the holder is itself a signer added before.</exception>
    Task<WorkflowCommandResult> AddSignerAsync(AddSignerCommand command, CancellationToken cancellationToken = default);
}
