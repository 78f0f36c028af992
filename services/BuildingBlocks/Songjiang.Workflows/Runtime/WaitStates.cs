using System.Globalization;
using System.Text.Json.Nodes;
using Songjiang.Workflows.Definitions;
using Songjiang.Workflows.Expressions;
using Songjiang.Workflows.Persistence;

namespace Songjiang.Workflows.Runtime;

/// <summary>Entering the nodes where a token waits: user tasks, event bookmarks, timers and sub-workflows.</summary>
internal sealed class WaitStates(WorkflowUnitOfWork unit)
{
    public async Task EnterAsync(InstanceSession session, TokenRecord token, WorkflowNode node, TokenExecutor executor, CancellationToken ct)
    {
        switch (node)
        {
            case UserTaskNode { Countersign: { } rule } countersign:
                await OpenCountersignAsync(session, token, countersign, rule, ct);
                return;
            case UserTaskNode task:
                // Evaluated before anything is written, so a failure parks the token as an incident.
                var department = task.DepartmentFrom is { } from
                    ? Values.AsText(from.Evaluate(new EvaluationScope(session.Data, unit.Calendar.LocalDate(unit.Now))), "departmentFrom")
                    : task.Department!;
                await OpenTaskAsync(session, token, task, department, task.Roles, TaskAssignment.Of(token), ct);
                return;
            case WaitEventNode wait:
                var scope = new EvaluationScope(session.Data, unit.Calendar.LocalDate(unit.Now));
                var key = Values.AsKey(wait.Correlation.Evaluate(scope));
                session.NewBookmarks.Add(new BookmarkRecord
                {
                    Id = Guid.CreateVersion7(), InstanceId = session.Instance.Id, TokenId = token.Id,
                    EventName = wait.Event, CorrelationKey = key,
                });
                session.Journal(WorkflowActor.System, JournalActions.EventAwaited, wait.Id, token.Id,
                    new JsonObject { ["event"] = wait.Event, ["correlation"] = key });
                break;
            case TimerNode timer:
                session.AddTimer(token, timer.Id, null, DueAt(timer.Delay));
                session.Journal(WorkflowActor.System, JournalActions.TimerScheduled, timer.Id, token.Id);
                break;
            case SubWorkflowNode sub:
                await StartChildrenAsync(session, token, sub, executor, ct);
                return;
        }

        if (StatutoryClock.PausesClock(node)) StatutoryClock.PauseIfRunning(session, unit);
    }

    /// <summary>
    /// Hands a user task to a department's queue (or a named signer): its deadline and boundary timers start, the
    /// journal records the opening and the host's listeners are told. Every way a task opens comes through here.
    /// </summary>
    public async Task OpenTaskAsync(
        InstanceSession session, TokenRecord token, UserTaskNode task, string department, IReadOnlyList<string> roles,
        TaskAssignment? assignment, CancellationToken ct)
    {
        token.Department = department;
        token.Roles = string.Join(',', roles);
        token.Assignment = TaskAssignment.Write(assignment);
        token.DueAt = task.DueWorkingDays is int days ? unit.Calendar.DueAt(unit.Now, days) : null;
        foreach (var boundary in task.Boundary) session.AddTimer(token, task.Id, boundary.Id, DueAt(boundary.Delay));
        session.Journal(WorkflowActor.System, JournalActions.TaskOpened, task.Id, token.Id, assignment?.Assignee is { } assignee
            ? new JsonObject { ["department"] = department, ["assignee"] = assignee }
            : null);
        var pauses = task.PausesClock || assignment?.PausesClock == true;
        if (pauses) StatutoryClock.PauseIfRunning(session, unit);
        foreach (var listener in unit.Listeners)
        {
            await listener.TaskOpenedAsync(unit.Db, new WorkflowTaskOpened(
                token.Id, session.Instance.Id, session.Instance.CorrelationId, session.Definition.Name, task.Id,
                task.Title, department, roles, assignment?.Actions ?? [.. task.Actions.Keys], unit.Now, token.DueAt,
                pauses, StatutoryClock.RunningDueAt(session), task.Status)
            {
                Assignee = assignment?.Assignee,
                Countersign = task.Countersign is not null,
            }, ct);
        }
    }

    // 会签: the arriving token splits into one task per signer, in a scope of their own (like a fork's branches),
    // and the round's signatures start empty under the node id.
    private async Task OpenCountersignAsync(InstanceSession session, TokenRecord token, UserTaskNode task, CountersignRule rule, CancellationToken ct)
    {
        session.End(token, TokenStatus.Completed);
        session.Data[task.Id] = new JsonObject { ["signatures"] = new JsonArray(), ["required"] = rule.Required, ["signers"] = rule.Signers.Count };
        session.Journal(WorkflowActor.System, JournalActions.CountersignStarted, task.Id, token.Id, new JsonObject
        {
            ["signers"] = new JsonArray([.. rule.Signers.Select(s => (JsonNode)s.Department)]),
            ["required"] = rule.Required,
        });
        var scope = $"{token.Scope}/{token.Id:N}";
        foreach (var signer in rule.Signers)
            await OpenTaskAsync(session, session.Spawn(scope, task.Id), task, signer.Department, signer.Roles, null, ct);
    }

    /// <summary>Records a child's outcome on the parent; the last child to end moves the parent on.</summary>
    public async Task ChildEndedAsync(InstanceSession parent, InstanceSession child, TokenExecutor executor, CancellationToken ct)
    {
        var token = parent.Waiting.FirstOrDefault(t => t.Id == child.Instance.ParentTokenId);
        if (token is null)
        {
            parent.Journal(WorkflowActor.System, JournalActions.ChildIgnored, null,
                delta: new JsonObject { ["child"] = child.Instance.Id.ToString(), ["reason"] = "parent no longer waits" });
            return;
        }

        var node = parent.Definition.Node<SubWorkflowNode>(token.NodeId);
        var results = parent.Data[node.Id] as JsonObject ?? [];
        parent.Data[node.Id] = results;
        var outcomes = results["outcomes"] as JsonArray ?? [];
        results["outcomes"] = outcomes;
        var entry = new JsonObject
        {
            ["correlationId"] = child.Instance.CorrelationId,
            ["outcome"] = child.Instance.Outcome,
        };
        outcomes.Add(entry);
        token.PendingChildren--;
        parent.Journal(WorkflowActor.System, JournalActions.ChildEnded, node.Id, token.Id, entry.DeepClone());
        if (token.PendingChildren == 0) await executor.ContinueAsync(parent, token, node.Next);
    }

    /// <summary>
    /// A sub-workflow token that is cancelled (a join that no longer needs it, an interrupt, an end) cancels the
    /// children it is still waiting for, and theirs in turn, so no orphaned tasks stay in anybody's work list.
    /// </summary>
    public async Task CancelChildrenAsync(InstanceSession parent, TokenRecord token, TokenExecutor executor, CancellationToken ct)
    {
        var children = await unit.OpenChildrenAsync(token.Id, ct);
        foreach (var child in children)
        {
            var instance = child.Instance;
            instance.Status = WorkflowInstanceStatus.Cancelled;
            instance.EndedAt = unit.Now;
            foreach (var waiting in child.Waiting.ToList()) await executor.LeaveAsync(child, waiting, TokenStatus.Cancelled);
            child.Journal(WorkflowActor.System, JournalActions.Cancelled, null, delta: new JsonObject
            {
                ["reason"] = "parent task cancelled",
                ["parentInstanceId"] = parent.Instance.Id.ToString(),
                ["parentNodeId"] = token.NodeId,
            });
            await executor.InstanceEndedAsync(child);
        }

        if (children.Count == 0) return;
        parent.Journal(WorkflowActor.System, JournalActions.ChildrenCancelled, token.NodeId, token.Id, new JsonObject
        {
            ["count"] = children.Count,
            ["children"] = new JsonArray(children.Select(c => (JsonNode)c.Instance.CorrelationId).ToArray()),
        });
    }

    private async Task StartChildrenAsync(InstanceSession session, TokenRecord token, SubWorkflowNode sub, TokenExecutor executor, CancellationToken ct)
    {
        var items = sub.ForEach is null
            ? [new JsonObject()]
            : (session.Data[sub.ForEach] as JsonArray ?? []).Select(item => item?.DeepClone() as JsonObject ?? new JsonObject { ["item"] = item?.DeepClone() }).ToList();
        // Every child's definition is resolved before anything is written, so a failure parks the token.
        var today = unit.Calendar.LocalDate(unit.Now);
        var names = items.Select(item => sub.WorkflowFrom is { } from
            ? Values.AsText(from.Evaluate(new EvaluationScope(item, today)), "workflowFrom")
            : sub.Workflow!).ToList();
        var definitions = new Dictionary<string, WorkflowDefinition>(StringComparer.Ordinal);
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            try
            {
                definitions[name] = await unit.Definitions.GetLatestAsync(unit.Db, name, ct);
            }
            catch (WorkflowNotFoundException e) when (sub.WorkflowFrom is not null)
            {
                throw new ExpressionException(e.Message);
            }
        }
        token.PendingChildren = items.Count;
        session.Journal(WorkflowActor.System, JournalActions.ChildrenStarted, sub.Id, token.Id, new JsonObject
        {
            ["workflows"] = new JsonArray(names.Select(n => (JsonNode)JsonValue.Create($"{n}@{definitions[n].Version}")).ToArray()),
            ["count"] = items.Count,
        });
        if (items.Count == 0)
        {
            await executor.ContinueAsync(session, token, sub.Next);
            return;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var correlation = string.Create(CultureInfo.InvariantCulture, $"{session.Instance.CorrelationId}/{sub.Id}/{i + 1}");
            var definition = definitions[names[i]];
            var child = unit.Create(definition, correlation, items[i], session.Instance.Id, token.Id);
            await executor.RunAsync(child, child.Spawn("", definition.Start));
        }
    }

    private DateTimeOffset DueAt(Delay delay) =>
        delay.Duration is { } duration ? unit.Now + duration
        : delay.AtDeadline ? unit.Calendar.DueAt(unit.Now, delay.WorkingDays!.Value)
        : unit.Calendar.AddWorkingDays(unit.Now, delay.WorkingDays!.Value);
}
