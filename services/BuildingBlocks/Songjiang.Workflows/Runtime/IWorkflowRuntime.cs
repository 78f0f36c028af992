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

    /// <summary>
    /// Moves the running and faulted instances of a definition to a newer version (see <see cref="WorkflowMigration"/>),
    /// each in its own transaction and journaled, or with <see cref="WorkflowMigration.DryRun"/> only reports per instance
    /// what would happen. Instances that cannot be moved (a token in a parallel branch or 会签, an unmapped or
    /// differently-typed step, an open incident) are refused and left as they were.
    /// </summary>
    /// <exception cref="WorkflowNotFoundException">The target version is not published.</exception>
    /// <exception cref="Definitions.WorkflowDefinitionException">The mapping names nodes the target version does not have.</exception>
    Task<IReadOnlyList<WorkflowMigrationResult>> MigrateAsync(
        WorkflowMigration migration, WorkflowActor actor, CancellationToken cancellationToken = default);

    /// <summary>Every published definition version, with how many instances are active on it.</summary>
    Task<IReadOnlyList<WorkflowDefinitionSummary>> GetDefinitionsAsync(CancellationToken cancellationToken = default);

    /// <summary>One definition version with its graph.</summary>
    /// <exception cref="WorkflowNotFoundException">Not published.</exception>
    Task<WorkflowDefinitionView> GetDefinitionAsync(string name, int version, CancellationToken cancellationToken = default);

    /// <summary>Instances by definition, version, waiting node, status or business key, oldest first.</summary>
    Task<WorkflowPage<WorkflowInstanceSummary>> FindInstancesAsync(WorkflowInstanceQuery query, CancellationToken cancellationToken = default);

    /// <summary>Open incidents (tokens parked by run-time errors), oldest first.</summary>
    Task<WorkflowPage<WorkflowIncidentView>> FindIncidentsAsync(WorkflowIncidentQuery query, CancellationToken cancellationToken = default);
}
