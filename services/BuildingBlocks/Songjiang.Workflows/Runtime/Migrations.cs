using System.Text.Json.Nodes;
using Songjiang.Workflows.Definitions;
using Songjiang.Workflows.Persistence;

namespace Songjiang.Workflows.Runtime;

/// <summary>
/// Moving one locked instance to another version of its definition: every waiting token is mapped (same id, or
/// the administrator's mapping) to a node of the same kind outside any parallel branch, or the instance is refused
/// as a whole. A user task whose node changes is cancelled and opened at its new node; other waits keep their token,
/// timers, bookmarks and children. The statutory clock is held, so the case keeps its deadline.
/// </summary>
internal sealed partial class Resumptions
{
    public async Task<WorkflowMigrationResult> MigrateAsync(
        InstanceSession session, WorkflowDefinition target, IReadOnlyDictionary<string, string> mapping, bool dryRun, WorkflowActor actor)
    {
        var instance = session.Instance;
        var from = session.Definition;
        var waiting = session.Waiting.ToList();
        var (moves, refusal) = Plan(from, target, waiting, mapping);
        WorkflowMigrationResult Result(WorkflowMigrationOutcome outcome, string? reason) =>
            new(instance.Id, instance.CorrelationId, from.Version, target.Version, outcome, reason, moves);
        if (refusal is not null) return Result(WorkflowMigrationOutcome.Refused, refusal);
        if (dryRun) return Result(WorkflowMigrationOutcome.Movable, null);

        session.HoldClock = true;
        var reopened = moves.Where(m => m.Kind == "userTask" && m.From != m.To).ToList();
        foreach (var move in reopened)
            await _executor.LeaveAsync(session, waiting.Single(t => t.Id == move.TokenId), TokenStatus.Cancelled);

        session.Definition = target;
        instance.DefinitionVersion = target.Version;
        unit.MoveToVersion(session);
        foreach (var move in moves.Where(m => m.Kind != "userTask" && m.From != m.To))
        {
            var token = waiting.Single(t => t.Id == move.TokenId);
            token.NodeId = move.To;
            unit.RetargetTimers(token);
        }

        foreach (var move in reopened) await _executor.RunAsync(session, session.Spawn("", move.To));
        session.HoldClock = false;
        session.Journal(actor, JournalActions.Migrated, null, delta: new JsonObject
        {
            ["fromVersion"] = from.Version,
            ["toVersion"] = target.Version,
            ["moves"] = new JsonArray([.. moves.Select(m => (JsonNode)new JsonObject { ["from"] = m.From, ["to"] = m.To })]),
        });
        return Result(WorkflowMigrationOutcome.Moved, null);
    }

    private static (List<WorkflowTokenMove> Moves, string? Refusal) Plan(
        WorkflowDefinition from, WorkflowDefinition to, List<TokenRecord> waiting, IReadOnlyDictionary<string, string> mapping)
    {
        var moves = new List<WorkflowTokenMove>();
        foreach (var token in waiting)
        {
            var node = from[token.NodeId];
            var name = node.Title ?? node.Id;
            var target = mapping.TryGetValue(token.NodeId, out var mapped) ? mapped : token.NodeId;
            if (token.Scope.Length > 0 || from.InParallel.Contains(node.Id))
                return (moves, $"“{name}”在并行分支或会签之中，须等汇合后再迁移。");
            if (token.Incident is not null) return (moves, $"“{name}”有未处理的故障，请先处理故障再迁移。");
            if (!to.Nodes.TryGetValue(target, out var next))
                return (moves, $"新版本没有环节“{target}”，请为“{name}”给出对应的新环节。");
            if (next.Kind != node.Kind)
                return (moves, $"“{name}”（{node.Kind}）不能对应到新版本中不同类型的环节“{next.Title ?? next.Id}”（{next.Kind}）。");
            if (to.InParallel.Contains(target)) return (moves, $"新版本中的“{next.Title ?? next.Id}”在并行分支之中，不能迁入。");
            if (node is WaitEventNode wait && next is WaitEventNode awaited && wait.Event != awaited.Event)
                return (moves, $"“{name}”等待的事件在新版本中不同（{wait.Event} → {awaited.Event}）。");
            moves.Add(new WorkflowTokenMove(token.Id, token.NodeId, target, node.Kind));
        }

        return (moves, null);
    }
}
