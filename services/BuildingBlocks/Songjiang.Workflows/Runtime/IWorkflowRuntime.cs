using System.Text.Json.Nodes;

namespace Songjiang.Workflows;

/// <summary>
/// The workflow runtime. Every command runs in one transaction of the host's DbContext that locks the instance,
/// writes the new state, the journal and the outbox events together, and is retried on a concurrency conflict.
/// </summary>
public interface IWorkflowRuntime
{
    /// <summary>Validates and stores a definition version; republishing identical JSON is a no-op.</summary>
    /// <returns>The definition's name and version.</returns>
    Task<(string Name, int Version)> PublishDefinitionAsync(string json, CancellationToken cancellationToken = default);

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

    /// <summary>Claims and fires due timers (the timer worker calls this; tests call it to drive time).</summary>
    /// <returns>How many timers fired.</returns>
    Task<int> FireDueTimersAsync(CancellationToken cancellationToken = default);

    /// <summary>Open tasks whose candidate department is <paramref name="department"/> and whose roles meet <paramref name="roles"/>.</summary>
    Task<IReadOnlyList<WorkflowTask>> GetTasksAsync(
        string department, IReadOnlyCollection<string> roles, CancellationToken cancellationToken = default);

    /// <summary>The journal of an instance in order.</summary>
    Task<IReadOnlyList<WorkflowJournalEntry>> GetJournalAsync(Guid instanceId, CancellationToken cancellationToken = default);

    /// <summary>The definition graph of an instance with its current tokens.</summary>
    /// <exception cref="WorkflowNotFoundException">No such instance.</exception>
    Task<WorkflowInstanceView> GetInstanceViewAsync(Guid instanceId, CancellationToken cancellationToken = default);
}
