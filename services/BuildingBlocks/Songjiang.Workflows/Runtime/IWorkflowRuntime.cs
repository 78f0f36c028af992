using Microsoft.EntityFrameworkCore;

namespace Songjiang.Workflows;

/// <summary>
/// The workflow runtime. Every command runs in one transaction of the host's DbContext that locks the instance,
/// writes the new state, the journal and the outbox events together, and is retried on a concurrency conflict
/// (when it owns the transaction).
/// </summary>
public interface IWorkflowRuntime : IWorkflowCommands
{
    /// <summary>Validates and stores a definition version; republishing identical JSON is a no-op.</summary>
    /// <returns>The definition's name and version.</returns>
    Task<(string Name, int Version)> PublishDefinitionAsync(string json, CancellationToken cancellationToken = default);

    /// <summary>
    /// Commands that run on the host's own <paramref name="hostContext"/> (whose model includes the runtime's
    /// tables). If the host has opened a transaction on it (<c>Database.CurrentTransaction</c>), the command joins
    /// it and leaves commit or rollback to the host, so the host's own rows (e.g. the case) and the workflow change
    /// commit together; otherwise the command begins and commits a transaction on that context, which also saves
    /// the host's pending changes. Such commands are not retried: on a concurrency conflict or any other exception
    /// the host rolls back its transaction and may retry its whole unit of work.
    /// </summary>
    IWorkflowCommands Using(DbContext hostContext);

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
