using System.Text.Json.Nodes;
using Songjiang.Workflows.Definitions;
using Songjiang.Workflows.Persistence;

namespace Songjiang.Workflows.Runtime;

/// <summary>
/// What a holder does with a task besides completing it — 退回 to an earlier step, 加签, 转办 — and the 会签 and
/// 加签 completions. Each closes the holder's task (listeners see it completed with the handover's action) and
/// opens the next one through <see cref="WaitStates.OpenTaskAsync"/>, so work lists and journals follow one path.
/// </summary>
internal sealed partial class Resumptions
{
    /// <summary>The open task and its node when the actor may act on it; null when it is no longer open.</summary>
    /// <exception cref="WorkflowTaskForbiddenException">The actor is neither the named signer nor a candidate.</exception>
    private static TaskHolder? Holder(InstanceSession session, Guid taskId, WorkflowActor actor)
    {
        var token = session.Waiting.FirstOrDefault(t => t.Id == taskId);
        if (token is null || session.Definition[token.NodeId] is not UserTaskNode task) return null;
        var assignment = TaskAssignment.Of(token);
        var allowed = assignment?.Assignee is { } assignee
            ? actor.Id == assignee
            : actor.Department == token.Department && actor.Roles.Intersect((token.Roles ?? "").Split(',')).Any();
        return allowed ? new TaskHolder(token, task, assignment) : throw new WorkflowTaskForbiddenException(taskId, actor.Department);
    }

    public async Task<WorkflowCommandResult> SendBackAsync(InstanceSession session, SendBackCommand command)
    {
        if (Holder(session, command.TaskId, command.Actor) is not var (token, task, _))
            return WorkflowCommandResult.Ignored(session.Instance.Id, $"task {command.TaskId} is no longer open");
        var definition = session.Definition;
        if (token.Scope.Length > 0)
            throw new WorkflowCommandRefusedException($"“{Title(task)}”是会签或并行审查中的一份，不能单独退回；请在汇合后的环节退回。");
        if (!definition.Nodes.TryGetValue(command.ToNodeId, out var node) || node is not UserTaskNode target)
            throw new WorkflowCommandRefusedException($"“{command.ToNodeId}”不是本流程的办理环节。");
        if (target.Id == task.Id || definition.InParallel.Contains(target.Id) || !definition.Precedes(target.Id, task.Id))
            throw new WorkflowCommandRefusedException($"只能退回到“{Title(task)}”之前的办理环节，“{Title(target)}”不是。");
        if (string.IsNullOrWhiteSpace(command.Reason)) throw new WorkflowCommandRefusedException("退回须说明理由。");

        var result = new JsonObject
        {
            ["action"] = HandoverActions.SendBack, ["actor"] = command.Actor.Id, ["to"] = target.Id, ["toTitle"] = target.Title,
            ["reason"] = command.Reason,
        };
        session.Data[task.Id] = result.DeepClone();
        session.Journal(command.Actor, JournalActions.SentBack, task.Id, token.Id, new JsonObject
        {
            ["to"] = target.Id, ["toTitle"] = target.Title, ["reason"] = command.Reason, ["clockPaused"] = definition.SendBackPausesClock,
        });
        await _executor.LeaveAsync(session, token, TokenStatus.Completed, result: result);
        var back = session.Spawn("", target.Id);
        back.Assignment = definition.SendBackPausesClock ? TaskAssignment.Write(new TaskAssignment { PausesClock = true }) : null;
        await _executor.RunAsync(session, back);
        return new WorkflowCommandResult(true, session.Instance.Id, null, session.OpenTaskIds());
    }

    public async Task<WorkflowCommandResult> TransferAsync(InstanceSession session, TransferTaskCommand command)
    {
        if (Holder(session, command.TaskId, command.Actor) is not var (token, task, assignment))
            return WorkflowCommandResult.Ignored(session.Instance.Id, $"task {command.TaskId} is no longer open");
        if (!task.TransferTo.Contains(command.Department) || command.Department == token.Department)
        {
            throw new WorkflowCommandRefusedException(task.TransferTo.Count == 0
                ? $"“{Title(task)}”不允许转办。"
                : $"“{Title(task)}”只能转办到：{string.Join("、", task.TransferTo.Where(d => d != token.Department))}。");
        }
        if (string.IsNullOrWhiteSpace(command.Reason)) throw new WorkflowCommandRefusedException("转办须说明理由。");

        var result = new JsonObject
        {
            ["action"] = HandoverActions.Transfer, ["actor"] = command.Actor.Id, ["to"] = command.Department, ["reason"] = command.Reason,
        };
        session.Journal(command.Actor, JournalActions.Transferred, task.Id, token.Id, new JsonObject
        {
            ["from"] = token.Department, ["to"] = command.Department, ["reason"] = command.Reason,
        });
        await _executor.LeaveAsync(session, token, TokenStatus.Completed, result: result);
        var keep = assignment?.PausesClock == true ? new TaskAssignment { PausesClock = true } : null;
        await _executor.Waits.OpenTaskAsync(
            session, session.Spawn(token.Scope, task.Id), task, command.Department, (token.Roles ?? "").Split(','), keep, ct);
        return new WorkflowCommandResult(true, session.Instance.Id, null, session.OpenTaskIds());
    }

    public async Task<WorkflowCommandResult> AddSignerAsync(InstanceSession session, AddSignerCommand command)
    {
        if (Holder(session, command.TaskId, command.Actor) is not var (token, task, assignment))
            return WorkflowCommandResult.Ignored(session.Instance.Id, $"task {command.TaskId} is no longer open");
        if (task.Countersign is not null) throw new WorkflowCommandRefusedException($"“{Title(task)}”是会签环节，由定义中的各部门签署，不能加签。");
        if (assignment?.ReturnTo is not null) throw new WorkflowCommandRefusedException("被加签人签署意见后交回，不能再加签。");
        if (command.SignerId == command.Actor.Id) throw new WorkflowCommandRefusedException("不能给自己加签。");
        if (string.IsNullOrWhiteSpace(command.SignerId) || string.IsNullOrWhiteSpace(command.Department) || command.Roles.Count == 0)
            throw new WorkflowCommandRefusedException("加签须指明加签人、其部门和角色。");

        // The first 加签 on a task starts the step's list of signatures; later ones add to it.
        var record = assignment is not null && session.Data[task.Id] is JsonObject kept ? kept : [];
        var signatures = record["signatures"] as JsonArray ?? [];
        record["signatures"] = signatures;
        session.Data[task.Id] = record;
        var position = command.Position == SignerPosition.Before ? "before" : "after";
        var entry = (command.Payload?.DeepClone() as JsonObject) ?? [];
        entry["action"] = HandoverActions.AddSigner;
        entry["actor"] = command.Actor.Id;
        entry["position"] = position;
        entry["signer"] = command.SignerId;
        if (command.Position == SignerPosition.After) signatures.Add(entry.DeepClone());
        session.Journal(command.Actor, JournalActions.SignerAdded, task.Id, token.Id, new JsonObject
        {
            ["position"] = position, ["assignee"] = command.SignerId, ["department"] = command.Department,
            ["opinion"] = entry["opinion"]?.DeepClone(),
        });
        await _executor.LeaveAsync(session, token, TokenStatus.Completed, result: entry);

        var pauses = assignment?.PausesClock == true;
        var added = command.Position == SignerPosition.Before
            ? new TaskAssignment
            {
                Assignee = command.SignerId, Actions = [HandoverActions.Sign], PausesClock = pauses, AddedBy = command.Actor.Id,
                ReturnTo = new SignerReturn(assignment?.Assignee ?? command.Actor.Id, token.Department!, (token.Roles ?? "").Split(',')),
            }
            : new TaskAssignment { Assignee = command.SignerId, PausesClock = pauses, AddedBy = command.Actor.Id };
        await _executor.Waits.OpenTaskAsync(session, session.Spawn(token.Scope, task.Id), task, command.Department, command.Roles, added, ct);
        return new WorkflowCommandResult(true, session.Instance.Id, null, session.OpenTaskIds());
    }

    // A signer added before the holder signs; the holder gets the task back, named, with the node's actions.
    private async Task<WorkflowCommandResult> SignBeforeHolderAsync(
        InstanceSession session, TokenRecord token, UserTaskNode task, TaskAssignment assignment, SignerReturn back, JsonObject result)
    {
        var record = session.Data[task.Id] as JsonObject ?? [];
        session.Data[task.Id] = record;
        var signatures = record["signatures"] as JsonArray ?? [];
        record["signatures"] = signatures;
        signatures.Add(result.DeepClone());
        session.Journal(new WorkflowActor(result["actor"]!.GetValue<string>(), token.Department!, []), JournalActions.SignerSigned, task.Id, token.Id,
            result.DeepClone());
        await _executor.LeaveAsync(session, token, TokenStatus.Completed, result: result);
        await _executor.Waits.OpenTaskAsync(
            session, session.Spawn(token.Scope, task.Id), task, back.Department, back.Roles,
            new TaskAssignment { Assignee = back.Assignee, PausesClock = assignment.PausesClock }, ct);
        return new WorkflowCommandResult(true, session.Instance.Id, null, session.OpenTaskIds());
    }

    // 会签: each signature is kept under the node id; the step moves on once the quorum agrees, or once it no
    // longer can, with the action of the signer who made it impossible. The other signers' tasks are cancelled.
    private async Task<WorkflowCommandResult> CountersignAsync(
        InstanceSession session, TokenRecord token, UserTaskNode task, CountersignRule rule, JsonObject result)
    {
        result["department"] = token.Department;
        var record = session.Data[task.Id] as JsonObject ?? [];
        session.Data[task.Id] = record;
        var signatures = record["signatures"] as JsonArray ?? [];
        record["signatures"] = signatures;
        signatures.Add(result.DeepClone());
        var actor = result["actor"]!.GetValue<string>();
        session.Journal(new WorkflowActor(actor, token.Department!, []), JournalActions.Countersigned, task.Id, token.Id, result.DeepClone());
        await _executor.LeaveAsync(session, token, TokenStatus.Completed, result: result);

        var open = session.Waiting.Where(t => t.NodeId == task.Id && t.Scope == token.Scope).ToList();
        var agreed = signatures.Count(s => s?["action"]?.GetValue<string>() == rule.Agree);
        var action = result["action"]!.GetValue<string>();
        var outcome = agreed >= rule.Required ? rule.Agree : agreed + open.Count < rule.Required ? action : null;
        if (outcome is null) return new WorkflowCommandResult(true, session.Instance.Id, null, session.OpenTaskIds());

        foreach (var other in open) await _executor.LeaveAsync(session, other, TokenStatus.Cancelled);
        record["action"] = outcome;
        session.Journal(WorkflowActor.System, JournalActions.CountersignDecided, task.Id, token.Id, new JsonObject
        {
            ["action"] = outcome, ["agreed"] = agreed, ["required"] = rule.Required, ["cancelled"] = open.Count,
        });
        var outer = token.Scope[..token.Scope.LastIndexOf('/')];
        await _executor.RunAsync(session, session.Spawn(outer, task.Actions[outcome]));
        return new WorkflowCommandResult(true, session.Instance.Id, null, session.OpenTaskIds());
    }

    private static string Title(UserTaskNode task) => task.Title ?? task.Id;

    private sealed record TaskHolder(TokenRecord Token, UserTaskNode Task, TaskAssignment? Assignment);
}
