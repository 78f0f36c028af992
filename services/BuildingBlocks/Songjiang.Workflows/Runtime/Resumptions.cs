using System.Text.Json;
using System.Text.Json.Nodes;
using Songjiang.Workflows.Definitions;
using Songjiang.Workflows.Persistence;

namespace Songjiang.Workflows.Runtime;

/// <summary>The three ways a waiting token resumes: a task is completed, an event arrives, a timer fires.</summary>
internal sealed partial class Resumptions(WorkflowUnitOfWork unit, CancellationToken ct)
{
    private readonly TokenExecutor _executor = new(unit, ct);

    public TokenExecutor Executor => _executor;

    public async Task<WorkflowCommandResult> CompleteTaskAsync(InstanceSession session, CompleteTaskCommand command)
    {
        if (Holder(session, command.TaskId, command.Actor) is not var (token, task, assignment))
            return WorkflowCommandResult.Ignored(session.Instance.Id, $"task {command.TaskId} is no longer open");

        var actor = command.Actor;
        var actions = assignment?.Actions ?? [.. task.Actions.Keys];
        if (!actions.Contains(command.Action))
            throw new WorkflowActionNotAllowedException(command.TaskId, command.Action, actions);

        var result = (command.Payload?.DeepClone() as JsonObject) ?? [];
        result["action"] = command.Action;
        result["actor"] = actor.Id;
        if (assignment?.ReturnTo is { } back) return await SignBeforeHolderAsync(session, token, task, assignment, back, result);
        if (task.Countersign is { } rule) return await CountersignAsync(session, token, task, rule, result);

        // A step that went through 加签 keeps every signer's opinion beside the final result.
        if (assignment is not null && session.Data[task.Id] is JsonObject { } earlier && earlier["signatures"] is JsonArray signatures)
            result["signatures"] = signatures.DeepClone();
        session.Data[task.Id] = result;
        session.Journal(actor, JournalActions.TaskCompleted(command.Action), task.Id, token.Id, result.DeepClone());
        await _executor.ContinueAsync(session, token, task.Actions[command.Action]);
        return new WorkflowCommandResult(true, session.Instance.Id, null, session.OpenTaskIds());
    }

    public async Task<WorkflowCommandResult> DeliverEventAsync(InstanceSession session, Guid tokenId, string eventName, JsonObject? payload)
    {
        var token = session.Waiting.FirstOrDefault(t => t.Id == tokenId);
        if (token is null || session.Definition[token.NodeId] is not WaitEventNode wait)
            return WorkflowCommandResult.Ignored(session.Instance.Id, $"event {eventName} no longer awaited");

        var data = payload?.DeepClone() ?? new JsonObject();
        session.Data[wait.Id] = data;
        session.Journal(WorkflowActor.System, JournalActions.EventReceived, wait.Id, token.Id, data.DeepClone());
        await _executor.ContinueAsync(session, token, wait.Next);
        return new WorkflowCommandResult(true, session.Instance.Id, null, session.OpenTaskIds());
    }

    /// <summary>Fires a timer read under the instance lock; one already fired or cancelled is not applied.</summary>
    public async Task<bool> FireTimerAsync(InstanceSession session, TimerRecord? timer)
    {
        var token = session.Waiting.FirstOrDefault(t => t.Id == timer?.TokenId);
        if (timer is not { Status: TimerStatus.Pending } || token is null) return false;

        unit.MarkFired(timer);
        var delta = new JsonObject { ["dueAt"] = timer.DueAt, ["boundary"] = timer.BoundaryId };
        session.Journal(WorkflowActor.System, JournalActions.TimerFired, timer.NodeId, token.Id, delta);
        switch (session.Definition[timer.NodeId])
        {
            case TimerNode node:
                await _executor.ContinueAsync(session, token, node.Next, timer.Id);
                break;
            // A migration may have moved the task to a node without this boundary timer: it just lapses.
            case UserTaskNode task when task.Boundary.FirstOrDefault(b => b.Id == timer.BoundaryId) is { } boundary:
                await FireBoundaryAsync(session, token, task, boundary, timer);
                break;
        }

        return true;
    }

    /// <summary>Applies an administrator's data corrections and runs the tokens parked by incidents again.</summary>
    public async Task<WorkflowCommandResult> RetryIncidentsAsync(InstanceSession session, JsonObject? corrections, WorkflowActor actor)
    {
        var faulted = session.Waiting.Where(t => t.Incident is not null).ToList();
        if (faulted.Count == 0) return WorkflowCommandResult.Ignored(session.Instance.Id, "the instance has no incident");

        if (corrections is { Count: > 0 })
        {
            foreach (var (key, value) in corrections) session.Data[key] = value?.DeepClone();
            session.Journal(actor, JournalActions.DataCorrected, null, delta: corrections.DeepClone());
        }

        foreach (var token in faulted)
        {
            session.Journal(actor, JournalActions.IncidentRetried, token.NodeId, token.Id, new JsonObject { ["incident"] = token.Incident });
            await _executor.RetryAsync(session, token);
        }

        return new WorkflowCommandResult(true, session.Instance.Id, null, session.OpenTaskIds());
    }

    private async Task FireBoundaryAsync(InstanceSession session, TokenRecord token, UserTaskNode task, BoundaryTimer boundary, TimerRecord timer)
    {
        if (boundary.Action == BoundaryAction.Interrupt)
        {
            await _executor.LeaveAsync(session, token, TokenStatus.Cancelled, timer.Id);
            await _executor.RunAsync(session, session.Spawn(token.Scope, boundary.To!));
            return;
        }

        // Reminders and escalation (督办) leave the task open and notify through the host's outbox.
        if (boundary.Action == BoundaryAction.Escalate) token.Escalated = true;
        var payload = new JsonObject
        {
            ["instanceId"] = session.Instance.Id.ToString(),
            ["taskId"] = token.Id.ToString(),
            ["nodeId"] = task.Id,
            ["department"] = token.Department,
            ["dueAt"] = token.DueAt,
            ["action"] = boundary.Action.ToString().ToLowerInvariant(),
        };
        unit.Publisher.Enqueue(unit.Db, boundary.Topic!, JsonSerializer.SerializeToElement(payload), session.Instance.CorrelationId);
        session.Journal(WorkflowActor.System, JournalActions.TaskCompleted(payload["action"]!.GetValue<string>()), task.Id, token.Id,
            new JsonObject { ["topic"] = boundary.Topic });
    }
}
