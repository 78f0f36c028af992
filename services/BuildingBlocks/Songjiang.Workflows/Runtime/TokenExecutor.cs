using System.Text.Json;
using System.Text.Json.Nodes;
using Songjiang.Workflows.Definitions;
using Songjiang.Workflows.Expressions;
using Songjiang.Workflows.Persistence;

namespace Songjiang.Workflows.Runtime;

/// <summary>
/// Moves tokens through a definition until every token waits (task, event, timer, children, join) or the
/// instance ends. Everything happens inside the caller's unit of work, so a failure anywhere rolls back all;
/// the exception is a run-time expression error, which parks its token as an incident and lets the rest commit.
/// </summary>
internal sealed class TokenExecutor(WorkflowUnitOfWork unit, CancellationToken ct)
{
    private readonly WaitStates _waits = new(unit);

    public async Task RunAsync(InstanceSession session, TokenRecord first)
    {
        var queue = new Queue<TokenRecord>([first]);
        while (queue.TryDequeue(out var token))
        {
            // A join (any / N of M) or an end may have cancelled a token that was still queued.
            if (token.Status != TokenStatus.Waiting || session.Ended) continue;
            var node = session.Definition[token.NodeId];
            unit.Observe(session.Instance.Id, node.Id);
            try
            {
                await StepAsync(session, token, node, queue);
            }
            catch (ExpressionException e) when (node is IErrorPath { OnError: { } errorPath })
            {
                session.Journal(WorkflowActor.System, JournalActions.Error, node.Id, token.Id, new JsonObject { ["error"] = e.Message, ["to"] = errorPath });
                Move(token, errorPath, queue);
            }
            catch (ExpressionException e)
            {
                // Only expression nodes throw this, and they evaluate before writing anything, so the token can
                // stay parked at the node until an administrator corrects the data and retries.
                RecordIncident(session, token, node, e.Message);
            }
        }
    }

    private async Task StepAsync(InstanceSession session, TokenRecord token, WorkflowNode node, Queue<TokenRecord> queue)
    {
        switch (node)
        {
            case StartNode start:
                session.Journal(WorkflowActor.System, JournalActions.Start, node.Id, token.Id);
                Move(token, start.Next, queue);
                break;
            case ForkNode fork:
                session.End(token, TokenStatus.Completed);
                session.Journal(WorkflowActor.System, JournalActions.Fork, node.Id, token.Id);
                foreach (var branch in fork.Branches)
                    queue.Enqueue(session.Spawn($"{token.Scope}/{token.Id:N}", branch));
                break;
            case JoinNode join:
                await ArriveAtJoinAsync(session, token, join, queue);
                break;
            case DecisionNode decision:
                var to = Choose(session, decision);
                session.Journal(WorkflowActor.System, JournalActions.Decision, node.Id, token.Id, new JsonObject { ["to"] = to });
                Move(token, to, queue);
                break;
            case ServiceTaskNode service:
                Publish(session, service);
                Move(token, service.Next, queue);
                break;
            case EndNode end:
                await EndAsync(session, token, end);
                break;
            default:
                await _waits.EnterAsync(session, token, node, this, ct);
                break;
        }
    }

    /// <summary>Resumes a waiting token: it completes and a fresh token continues at <paramref name="next"/>.</summary>
    public async Task ContinueAsync(InstanceSession session, TokenRecord token, string next, Guid? firedTimerId = null)
    {
        await LeaveAsync(session, token, TokenStatus.Completed, firedTimerId);
        await RunAsync(session, session.Spawn(token.Scope, next));
    }

    public WaitStates Waits => _waits;

    /// <summary>
    /// Ends a waiting token and releases its timers, bookmarks and children. A user task's listeners receive
    /// <paramref name="result"/> (by default what the task stored under its node id).
    /// </summary>
    public async Task LeaveAsync(InstanceSession session, TokenRecord token, TokenStatus status, Guid? firedTimerId = null, JsonObject? result = null)
    {
        session.End(token, status);
        unit.ReleaseWaits(session, token, firedTimerId);
        if (status == TokenStatus.Cancelled && session.Definition[token.NodeId] is SubWorkflowNode)
            await _waits.CancelChildrenAsync(session, token, this, ct);
        StatutoryClock.ResumeIfNoLongerWaiting(session, unit);
        if (session.Definition[token.NodeId] is UserTaskNode task) await TaskClosedAsync(session, token, task, status, result);
    }

    private async Task TaskClosedAsync(InstanceSession session, TokenRecord token, UserTaskNode task, TokenStatus status, JsonObject? given)
    {
        if (unit.Listeners.Count == 0) return;
        var completed = status == TokenStatus.Completed;
        var result = completed ? (given ?? session.Data[task.Id])?.DeepClone() as JsonObject : null;
        var closed = new WorkflowTaskClosed(
            token.Id, session.Instance.Id, session.Instance.CorrelationId, task.Id, completed,
            result?["action"]?.GetValue<string>(), result, unit.Now, StatutoryClock.RunningDueAt(session));
        foreach (var listener in unit.Listeners) await listener.TaskClosedAsync(unit.Db, closed, ct);
    }

    /// <summary>Tells the host's listeners that an instance ended (completed, or cancelled with its parent's task).</summary>
    public async Task InstanceEndedAsync(InstanceSession session)
    {
        var instance = session.Instance;
        foreach (var listener in unit.Listeners)
        {
            await listener.InstanceEndedAsync(unit.Db, new WorkflowInstanceEnded(
                instance.Id, instance.CorrelationId, instance.DefinitionName, instance.Status, instance.Outcome,
                unit.Now, instance.StatutoryDueAt, (JsonObject)session.Data.DeepClone()), ct);
        }
    }

    /// <summary>Runs a token parked by an incident again, after the administrator corrected the data.</summary>
    public Task RetryAsync(InstanceSession session, TokenRecord token)
    {
        token.Incident = null;
        return RunAsync(session, token);
    }

    private void RecordIncident(InstanceSession session, TokenRecord token, WorkflowNode node, string error)
    {
        token.Incident = $"node '{node.Id}': {error}";
        session.Journal(WorkflowActor.System, JournalActions.Incident, node.Id, token.Id, new JsonObject { ["error"] = error });
        unit.Incidents.Add($"instance {session.Instance.Id} {token.Incident}");
    }

    // A token passing through a node without waiting keeps its row: only wait states need their own identity.
    private void Move(TokenRecord token, string next, Queue<TokenRecord> queue)
    {
        token.NodeId = next;
        token.CreatedAt = unit.Now;
        queue.Enqueue(token);
    }

    private async Task ArriveAtJoinAsync(InstanceSession session, TokenRecord token, JoinNode join, Queue<TokenRecord> queue)
    {
        var fork = session.Definition.Nodes.Values.OfType<ForkNode>().Single(f => f.Join == join.Id);
        var arrived = session.Waiting.Where(t => t.NodeId == join.Id && t.Scope == token.Scope).ToList();
        if (arrived.Count < join.Required(fork.Branches.Count)) return;

        foreach (var arrival in arrived) session.End(arrival, TokenStatus.Completed);
        var losers = session.Waiting
            .Where(t => t.Scope == token.Scope || t.Scope.StartsWith(token.Scope + "/", StringComparison.Ordinal)).ToList();
        foreach (var loser in losers) await LeaveAsync(session, loser, TokenStatus.Cancelled);

        session.Journal(WorkflowActor.System, JournalActions.Join, join.Id, token.Id,
            new JsonObject { ["arrived"] = arrived.Count, ["cancelled"] = losers.Count });
        var outer = token.Scope[..token.Scope.LastIndexOf('/')];
        queue.Enqueue(session.Spawn(outer, join.Next));
    }

    private string Choose(InstanceSession session, DecisionNode decision)
    {
        var scope = new EvaluationScope(session.Data, unit.Calendar.LocalDate(unit.Now));
        foreach (var option in decision.Cases)
        {
            if (Values.AsBool(option.Expression.Evaluate(scope))) return option.To;
        }

        return decision.Otherwise;
    }

    private void Publish(InstanceSession session, ServiceTaskNode service)
    {
        var scope = new EvaluationScope(session.Data, unit.Calendar.LocalDate(unit.Now));
        var payload = new JsonObject();
        foreach (var (key, expression) in service.Payload) payload[key] = Values.ToJson(expression.Evaluate(scope));
        unit.Publisher.Enqueue(unit.Db, service.Topic, JsonSerializer.SerializeToElement(payload), session.Instance.CorrelationId);
        session.Journal(WorkflowActor.System, JournalActions.EventPublished, service.Id, delta: new JsonObject
        {
            ["topic"] = service.Topic,
            ["payload"] = payload.DeepClone(),
        });
    }

    private async Task EndAsync(InstanceSession session, TokenRecord token, EndNode end)
    {
        session.End(token, TokenStatus.Completed);
        foreach (var other in session.Waiting.ToList()) await LeaveAsync(session, other, TokenStatus.Cancelled);
        var instance = session.Instance;
        instance.Status = WorkflowInstanceStatus.Completed;
        instance.Outcome = end.Outcome;
        instance.EndedAt = unit.Now;
        session.Journal(WorkflowActor.System, JournalActions.End, end.Id, token.Id, new JsonObject { ["outcome"] = end.Outcome });
        await InstanceEndedAsync(session);

        if (instance.ParentInstanceId is { } parentId && await unit.OpenAsync(parentId, ct) is { } parent)
            await _waits.ChildEndedAsync(parent, session, this, ct);
    }
}
