namespace Songjiang.Workflows;

/// <summary>One page of an administrator's listing, with the total that matched.</summary>
/// <typeparam name="T">The row type.</typeparam>
/// <param name="Items">The rows of the page.</param>
/// <param name="Total">How many rows matched in all.</param>
public sealed record WorkflowPage<T>(IReadOnlyList<T> Items, int Total);

/// <summary>A published definition version.</summary>
/// <param name="Name">Definition name.</param>
/// <param name="Version">Version.</param>
/// <param name="Title">Title.</param>
/// <param name="PublishedAt">When it was published.</param>
/// <param name="ActiveInstances">Instances pinned to it that are running or faulted.</param>
public sealed record WorkflowDefinitionSummary(string Name, int Version, string? Title, DateTimeOffset PublishedAt, int ActiveInstances);

/// <summary>A definition version with its graph, for drawing and for planning a migration.</summary>
/// <param name="Name">Definition name.</param>
/// <param name="Version">Version.</param>
/// <param name="Title">Title.</param>
/// <param name="StatutoryWorkingDays">Fixed statutory limit, when the definition sets one.</param>
/// <param name="PublishedAt">When it was published.</param>
/// <param name="Nodes">Graph nodes.</param>
/// <param name="Edges">Graph edges.</param>
public sealed record WorkflowDefinitionView(
    string Name, int Version, string? Title, int? StatutoryWorkingDays, DateTimeOffset PublishedAt,
    IReadOnlyList<WorkflowGraphNode> Nodes, IReadOnlyList<WorkflowGraphEdge> Edges);

/// <summary>Filters of the instance listing; every filter is optional.</summary>
/// <param name="DefinitionName">Definition name.</param>
/// <param name="Version">Pinned version.</param>
/// <param name="NodeId">A node where a token waits.</param>
/// <param name="Status">Status; by default running and faulted instances.</param>
/// <param name="CorrelationId">Business key.</param>
/// <param name="Skip">Rows to skip.</param>
/// <param name="Take">Rows to return.</param>
public sealed record WorkflowInstanceQuery(
    string? DefinitionName, int? Version, string? NodeId, WorkflowInstanceStatus? Status, string? CorrelationId, int Skip, int Take);

/// <summary>An instance as an operations console lists it.</summary>
/// <param name="Id">Instance id.</param>
/// <param name="DefinitionName">Definition name.</param>
/// <param name="DefinitionVersion">Pinned version.</param>
/// <param name="CorrelationId">Business key.</param>
/// <param name="Status">Status.</param>
/// <param name="StartedAt">Started.</param>
/// <param name="EndedAt">Ended, if it has.</param>
/// <param name="StatutoryDueAt">Statutory deadline.</param>
/// <param name="ClockPaused">Whether the statutory clock is paused.</param>
/// <param name="WaitingAt">Nodes where its tokens wait.</param>
public sealed record WorkflowInstanceSummary(
    Guid Id, string DefinitionName, int DefinitionVersion, string CorrelationId, WorkflowInstanceStatus Status,
    DateTimeOffset StartedAt, DateTimeOffset? EndedAt, DateTimeOffset? StatutoryDueAt, bool ClockPaused, IReadOnlyList<string> WaitingAt);

/// <summary>Filters of the incident listing.</summary>
/// <param name="DefinitionName">Definition name, optional.</param>
/// <param name="Skip">Rows to skip.</param>
/// <param name="Take">Rows to return.</param>
public sealed record WorkflowIncidentQuery(string? DefinitionName, int Skip, int Take);

/// <summary>A token parked by a run-time error, with its instance.</summary>
/// <param name="InstanceId">The faulted instance.</param>
/// <param name="CorrelationId">Its business key.</param>
/// <param name="DefinitionName">Definition name.</param>
/// <param name="DefinitionVersion">Pinned version.</param>
/// <param name="TokenId">The parked token.</param>
/// <param name="NodeId">The failing node.</param>
/// <param name="Error">The error, naming the node.</param>
/// <param name="Since">When the token reached the node.</param>
public sealed record WorkflowIncidentView(
    Guid InstanceId, string CorrelationId, string DefinitionName, int DefinitionVersion, Guid TokenId, string NodeId, string Error, DateTimeOffset Since);

/// <summary>
/// Moves running instances of a definition to a newer version. Each waiting token goes to the node of the same id,
/// or to the one <see cref="NodeMapping"/> names for its node.
/// </summary>
/// <param name="DefinitionName">Definition name.</param>
/// <param name="ToVersion">The published version to move to.</param>
/// <param name="NodeMapping">Old node id → new node id, for nodes renamed or removed in the new version.</param>
/// <param name="DryRun">Only report what would happen.</param>
/// <param name="FromVersion">Only instances on this version; by default every older version.</param>
/// <param name="InstanceIds">Only these instances; by default all that match.</param>
public sealed record WorkflowMigration(
    string DefinitionName, int ToVersion, IReadOnlyDictionary<string, string> NodeMapping, bool DryRun,
    int? FromVersion = null, IReadOnlyCollection<Guid>? InstanceIds = null);

/// <summary>What a migration did, or would do, with one instance.</summary>
public enum WorkflowMigrationOutcome
{
    /// <summary>Dry run: the instance can be moved.</summary>
    Movable = 0,

    /// <summary>The instance was moved, in its own transaction.</summary>
    Moved = 1,

    /// <summary>The instance cannot be moved; <see cref="WorkflowMigrationResult.Reason"/> says why.</summary>
    Refused = 2,
}

/// <summary>One instance's migration.</summary>
/// <param name="InstanceId">The instance.</param>
/// <param name="CorrelationId">Its business key.</param>
/// <param name="FromVersion">The version it was on.</param>
/// <param name="ToVersion">The version it moves to.</param>
/// <param name="Outcome">Movable, moved or refused.</param>
/// <param name="Reason">Why it was refused (Chinese, naming the step).</param>
/// <param name="Moves">Each waiting token's old and new node.</param>
public sealed record WorkflowMigrationResult(
    Guid InstanceId, string CorrelationId, int FromVersion, int ToVersion, WorkflowMigrationOutcome Outcome, string? Reason,
    IReadOnlyList<WorkflowTokenMove> Moves);

/// <summary>A waiting token's move.</summary>
/// <param name="TokenId">The token (a user task's id).</param>
/// <param name="From">Old node.</param>
/// <param name="To">New node.</param>
/// <param name="Kind">Activity kind.</param>
public sealed record WorkflowTokenMove(Guid TokenId, string From, string To, string Kind);
