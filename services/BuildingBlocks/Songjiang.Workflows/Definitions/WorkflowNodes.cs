using Songjiang.Workflows.Expressions;

namespace Songjiang.Workflows.Definitions;

/// <summary>A validated node of a definition; one record per activity kind.</summary>
internal abstract record WorkflowNode(string Id, string Kind, string? Title)
{
    /// <summary>The nodes this node can hand its token to, for validation and the instance view.</summary>
    public abstract IEnumerable<(string To, string? Label)> Transitions { get; }

    protected static IEnumerable<(string To, string? Label)> ErrorTransition(string? onError) =>
        onError is null ? [] : [(onError, "error")];
}

internal sealed record StartNode(string Id, string Next) : WorkflowNode(Id, "start", null)
{
    public override IEnumerable<(string To, string? Label)> Transitions => [(Next, null)];
}

/// <summary>A delay: either a fixed duration or a number of working days.</summary>
// AtDeadline: working days counted like a task's deadline (the local midnight that ends the N-th working day),
// rather than the same time of day on the N-th working day.
internal sealed record Delay(TimeSpan? Duration, int? WorkingDays, bool AtDeadline = false);

internal enum BoundaryAction { Remind, Escalate, Interrupt }

internal sealed record BoundaryTimer(string Id, Delay Delay, BoundaryAction Action, string? Topic, string? To);

/// <summary>
/// A user task; its candidate department is fixed, or read from the instance data when the task opens.
/// <paramref name="Status"/> is the status of the instance's subject while the task is open (e.g. a case's
/// <c>correction-requested</c>), declared by the definition so that a host never interprets node ids.
/// </summary>
internal sealed record UserTaskNode(
    string Id, string? Title, string? Department, ExpressionNode? DepartmentFrom, IReadOnlyList<string> Roles,
    IReadOnlyDictionary<string, string> Actions, int? DueWorkingDays, bool PausesClock,
    IReadOnlyList<BoundaryTimer> Boundary, string? Status = null) : WorkflowNode(Id, "userTask", Title)
{
    public override IEnumerable<(string To, string? Label)> Transitions =>
        Actions.Select(a => (a.Value, (string?)a.Key))
            .Concat(Boundary.Where(b => b.To is not null).Select(b => (b.To!, (string?)b.Id)));

    /// <summary>会签: the step is signed by several signers and passes on a quorum; null for a single-holder task.</summary>
    public CountersignRule? Countersign { get; init; }

    /// <summary>Departments this task may be handed to (转办); empty when it may not.</summary>
    public IReadOnlyList<string> TransferTo { get; init; } = [];
}

/// <summary>A signer of a 会签 step: a department's queue, with the roles that may sign for it.</summary>
internal sealed record CountersignSigner(string Department, IReadOnlyList<string> Roles);

/// <summary>
/// 会签 with a quorum: one task per signer; the step takes <see cref="Agree"/> once <see cref="Required"/> signers
/// chose it, or the deciding signer's other action once the quorum can no longer be reached.
/// </summary>
internal sealed record CountersignRule(IReadOnlyList<CountersignSigner> Signers, int? Quorum, string Agree)
{
    public int Required => Quorum ?? Signers.Count;
}

internal sealed record ForkNode(string Id, string? Title, IReadOnlyList<string> Branches, string Join)
    : WorkflowNode(Id, "fork", Title)
{
    public override IEnumerable<(string To, string? Label)> Transitions => Branches.Select(b => (b, (string?)null));
}

internal enum JoinMode { All, Any, NOfM }

internal sealed record JoinNode(string Id, string? Title, JoinMode Mode, int? Count, string Next)
    : WorkflowNode(Id, "join", Title)
{
    public override IEnumerable<(string To, string? Label)> Transitions => [(Next, null)];

    /// <summary>How many branches must arrive before the join fires.</summary>
    public int Required(int branches) => Mode switch
    {
        JoinMode.All => branches,
        JoinMode.Any => 1,
        _ => Count!.Value,
    };
}

internal sealed record DecisionCase(string Condition, ExpressionNode Expression, string To);

/// <summary>A node whose expressions can fail at run time and may declare where its token goes then.</summary>
internal interface IErrorPath
{
    /// <summary>The node a token moves to when an expression fails; null parks the token as an incident.</summary>
    string? OnError { get; }
}

internal sealed record DecisionNode(string Id, string? Title, IReadOnlyList<DecisionCase> Cases, string Otherwise, string? OnError)
    : WorkflowNode(Id, "decision", Title), IErrorPath
{
    public override IEnumerable<(string To, string? Label)> Transitions =>
        Cases.Select(c => (c.To, (string?)c.Condition)).Append((Otherwise, "otherwise")).Concat(ErrorTransition(OnError));
}

internal sealed record ServiceTaskNode(
    string Id, string? Title, string Topic, IReadOnlyDictionary<string, ExpressionNode> Payload, string Next, string? OnError)
    : WorkflowNode(Id, "serviceTask", Title), IErrorPath
{
    public override IEnumerable<(string To, string? Label)> Transitions => new[] { (Next, (string?)null) }.Concat(ErrorTransition(OnError));
}

internal sealed record WaitEventNode(string Id, string? Title, string Event, ExpressionNode Correlation, bool PausesClock, string Next)
    : WorkflowNode(Id, "waitEvent", Title)
{
    public override IEnumerable<(string To, string? Label)> Transitions => [(Next, null)];
}

internal sealed record TimerNode(string Id, string? Title, Delay Delay, string Next) : WorkflowNode(Id, "timer", Title)
{
    public override IEnumerable<(string To, string? Label)> Transitions => [(Next, null)];
}

/// <summary>
/// Child instances, one per item of <see cref="ForEach"/>; each runs <see cref="Workflow"/>, or the definition named
/// by <see cref="WorkflowFrom"/> evaluated on the item's data.
/// </summary>
internal sealed record SubWorkflowNode(string Id, string? Title, string? Workflow, ExpressionNode? WorkflowFrom, string? ForEach, string Next)
    : WorkflowNode(Id, "subWorkflow", Title)
{
    public override IEnumerable<(string To, string? Label)> Transitions => [(Next, null)];
}

internal sealed record EndNode(string Id, string? Title, string Outcome) : WorkflowNode(Id, "end", Title)
{
    public override IEnumerable<(string To, string? Label)> Transitions => [];
}
