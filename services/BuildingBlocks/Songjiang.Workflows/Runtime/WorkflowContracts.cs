using System.Text.Json.Nodes;

namespace Songjiang.Workflows;

/// <summary>Lifecycle of an instance.</summary>
public enum WorkflowInstanceStatus
{
    /// <summary>At least one token is waiting.</summary>
    Running = 0,

    /// <summary>An end node was reached; <see cref="WorkflowInstanceView.Outcome"/> says which.</summary>
    Completed = 1,

    /// <summary>
    /// A token hit a run-time error (see <see cref="WorkflowInstanceView.Incidents"/>) and waits for an
    /// administrator to correct the data and retry; other branches carry on.
    /// </summary>
    Faulted = 2,

    /// <summary>Cancelled with the parent task that started it (a sub-workflow whose parent moved on).</summary>
    Cancelled = 3,
}

/// <summary>Who acts on a task: a user id with the department and roles from the caller's token.</summary>
/// <param name="Id">The user id, recorded in the journal.</param>
/// <param name="Department">The caller's department code.</param>
/// <param name="Roles">The caller's roles.</param>
public sealed record WorkflowActor(string Id, string Department, IReadOnlyCollection<string> Roles)
{
    /// <summary>The actor recorded for steps the runtime takes on its own (timers, decisions, events).</summary>
    public static WorkflowActor System { get; } = new("system", "", []);
}

/// <summary>Completion of a user task.</summary>
/// <param name="TaskId">The task id from <see cref="WorkflowTask.Id"/>.</param>
/// <param name="Actor">Who completes it.</param>
/// <param name="Action">One of the task's allowed actions, e.g. <c>approve</c>.</param>
/// <param name="Payload">Form or opinion data; stored under the task's node id in the instance data.</param>
public sealed record CompleteTaskCommand(Guid TaskId, WorkflowActor Actor, string Action, JsonObject? Payload = null);

/// <summary>Sends a task back (退回) to an earlier user-task step of the procedure.</summary>
/// <param name="TaskId">The open task.</param>
/// <param name="Actor">Its holder.</param>
/// <param name="ToNodeId">The earlier step, by node id.</param>
/// <param name="Reason">Why, for the journal and whoever handles the step again.</param>
public sealed record SendBackCommand(Guid TaskId, WorkflowActor Actor, string ToNodeId, string Reason);

/// <summary>Hands a task to another department's queue (转办), among those its step lists in <c>transferTo</c>.</summary>
/// <param name="TaskId">The open task.</param>
/// <param name="Actor">Its holder.</param>
/// <param name="Department">The department to hand it to.</param>
/// <param name="Reason">Why.</param>
public sealed record TransferTaskCommand(Guid TaskId, WorkflowActor Actor, string Department, string Reason);

/// <summary>Where an added signer (加签) signs relative to the holder.</summary>
public enum SignerPosition
{
    /// <summary>前加签: the signer gives an opinion first (action <c>sign</c>), then the holder gets the task back.</summary>
    Before = 0,

    /// <summary>后加签: the holder's opinion is kept and the signer takes the step's decision.</summary>
    After = 1,
}

/// <summary>Adds a named signer to one task of one instance (加签).</summary>
/// <param name="TaskId">The open task.</param>
/// <param name="Actor">Its holder.</param>
/// <param name="Position">Before or after the holder.</param>
/// <param name="SignerId">The added signer's user id; only they may act on the new task.</param>
/// <param name="Department">The signer's department.</param>
/// <param name="Roles">The signer's roles.</param>
/// <param name="Payload">The holder's opinion and form, kept with the step's signatures.</param>
public sealed record AddSignerCommand(
    Guid TaskId, WorkflowActor Actor, SignerPosition Position, string SignerId, string Department, IReadOnlyList<string> Roles,
    JsonObject? Payload = null);

/// <summary>The actions a task is closed with when its holder hands it over rather than deciding it.</summary>
public static class HandoverActions
{
    /// <summary>退回 to an earlier step.</summary>
    public const string SendBack = "send-back";

    /// <summary>转办 to another department.</summary>
    public const string Transfer = "transfer";

    /// <summary>加签: the holder added a signer.</summary>
    public const string AddSigner = "add-signer";

    /// <summary>The only action of a signer added before the holder: sign an opinion and hand the task back.</summary>
    public const string Sign = "sign";
}

/// <summary>The effect of a command: applied, or ignored as a duplicate or stale delivery (with the reason).</summary>
/// <param name="Applied">Whether the command changed the instance.</param>
/// <param name="InstanceId">The instance concerned, when known.</param>
/// <param name="IgnoredReason">Why a duplicate or stale command was ignored.</param>
/// <param name="OpenTaskIds">User tasks of the instance that are open after the command.</param>
public sealed record WorkflowCommandResult(bool Applied, Guid? InstanceId, string? IgnoredReason, IReadOnlyList<Guid> OpenTaskIds)
{
    internal static WorkflowCommandResult Ignored(Guid? instanceId, string reason) => new(false, instanceId, reason, []);
}

/// <summary>A started instance.</summary>
/// <param name="InstanceId">The new instance.</param>
/// <param name="DefinitionVersion">The version it is pinned to.</param>
/// <param name="OpenTaskIds">User tasks open right after the start.</param>
public sealed record WorkflowStarted(Guid InstanceId, int DefinitionVersion, IReadOnlyList<Guid> OpenTaskIds);

/// <summary>An open user task as a work list shows it.</summary>
/// <param name="Id">Task id, used to complete it.</param>
/// <param name="InstanceId">The instance.</param>
/// <param name="CorrelationId">The instance's business key (e.g. the case number).</param>
/// <param name="NodeId">The user-task node.</param>
/// <param name="Title">The node's title.</param>
/// <param name="Department">Candidate department.</param>
/// <param name="Roles">Candidate roles; any one suffices.</param>
/// <param name="Actions">Allowed actions.</param>
/// <param name="CreatedAt">When the task opened.</param>
/// <param name="DueAt">Deadline in working days, when the node sets one.</param>
/// <param name="Escalated">Whether an escalation (督办) timer has fired.</param>
public sealed record WorkflowTask(
    Guid Id, Guid InstanceId, string CorrelationId, string NodeId, string? Title, string Department,
    IReadOnlyList<string> Roles, IReadOnlyList<string> Actions, DateTimeOffset CreatedAt, DateTimeOffset? DueAt, bool Escalated);

/// <summary>One journal (全程留痕) entry.</summary>
/// <param name="Sequence">Position of the entry in the instance's journal, from 1.</param>
/// <param name="At">When it happened.</param>
/// <param name="Actor">User id, or <c>system</c>.</param>
/// <param name="Action">What happened, e.g. <c>task.approve</c>, <c>join</c>, <c>timer.fired</c>.</param>
/// <param name="NodeId">The node concerned.</param>
/// <param name="Delta">The data written by the step, if any.</param>
public sealed record WorkflowJournalEntry(long Sequence, DateTimeOffset At, string Actor, string Action, string? NodeId, JsonNode? Delta);

/// <summary>A node of the definition graph, for drawing.</summary>
/// <param name="Id">Node id.</param>
/// <param name="Kind">Activity kind.</param>
/// <param name="Title">Display title.</param>
public sealed record WorkflowGraphNode(string Id, string Kind, string? Title);

/// <summary>A transition of the definition graph.</summary>
/// <param name="From">Source node.</param>
/// <param name="To">Target node.</param>
/// <param name="Label">Action, condition or boundary timer that takes it.</param>
public sealed record WorkflowGraphEdge(string From, string To, string? Label);

/// <summary>A waiting token: where the instance currently is.</summary>
/// <param name="Id">Token id (the task id for user tasks).</param>
/// <param name="NodeId">The node it waits at.</param>
/// <param name="Since">When it arrived.</param>
/// <param name="DueAt">Task deadline, when set.</param>
public sealed record WorkflowTokenView(Guid Id, string NodeId, DateTimeOffset Since, DateTimeOffset? DueAt);

/// <summary>What a UI needs to draw an instance: the graph of its pinned definition and the current tokens.</summary>
/// <param name="Id">Instance id.</param>
/// <param name="DefinitionName">Definition name.</param>
/// <param name="DefinitionVersion">Pinned version.</param>
/// <param name="CorrelationId">Business key.</param>
/// <param name="Status">Running or completed.</param>
/// <param name="Outcome">End outcome once completed.</param>
/// <param name="Data">Instance data.</param>
/// <param name="StatutoryDueAt">Statutory deadline (moves when the clock resumes after 补正).</param>
/// <param name="ClockPaused">Whether the statutory clock is paused.</param>
/// <param name="Nodes">Graph nodes.</param>
/// <param name="Edges">Graph edges.</param>
/// <param name="Tokens">Waiting tokens.</param>
/// <param name="Incidents">Run-time errors that park tokens until an administrator retries (status <see cref="WorkflowInstanceStatus.Faulted"/>).</param>
public sealed record WorkflowInstanceView(
    Guid Id, string DefinitionName, int DefinitionVersion, string CorrelationId, WorkflowInstanceStatus Status,
    string? Outcome, JsonObject Data, DateTimeOffset? StatutoryDueAt, bool ClockPaused,
    IReadOnlyList<WorkflowGraphNode> Nodes, IReadOnlyList<WorkflowGraphEdge> Edges, IReadOnlyList<WorkflowTokenView> Tokens,
    IReadOnlyList<WorkflowIncident> Incidents);

/// <summary>A token parked by a run-time error, e.g. a decision comparing text with a number.</summary>
/// <param name="TokenId">The parked token.</param>
/// <param name="NodeId">The node whose expression failed.</param>
/// <param name="Error">What went wrong, naming the node.</param>
public sealed record WorkflowIncident(Guid TokenId, string NodeId, string Error);

/// <summary>A step the runtime is about to take inside a resume transaction.</summary>
/// <param name="InstanceId">The instance.</param>
/// <param name="NodeId">The node executed, or <c>null</c> for the commit of the transaction.</param>
public sealed record WorkflowStep(Guid InstanceId, string? NodeId);
