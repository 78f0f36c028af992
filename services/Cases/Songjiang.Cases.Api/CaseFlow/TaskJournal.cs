using System.Text.Json.Nodes;
using Songjiang.Cases.Api.Domain;
using Songjiang.Cases.Api.Infrastructure;
using Songjiang.Workflows;

namespace Songjiang.Cases.Api.CaseFlow;

/// <summary>
/// The one place task events are written to a case's audit history (<see cref="TaskEvent"/>). Openings and closings
/// come from the workflow projection, inside the step's transaction, whichever API or page caused the step;
/// claims, releases and reassignments from the work-list API, with the claim itself.
/// </summary>
public static class TaskJournal
{
    /// <summary>The actor name of steps the runtime takes on its own.</summary>
    public const string SystemName = "系统";

    private static readonly Dictionary<string, string> ActionNames = new(StringComparer.Ordinal)
    {
        ["accept"] = "受理", ["correct"] = "要求补正", ["resubmit"] = "补正后重新提交", ["withdraw"] = "撤回申请",
        ["reject"] = "不予许可", ["approve"] = "同意", ["agree"] = "同意", ["disagree"] = "不同意", ["confirm"] = "确认",
        ["decline"] = "放弃", ["broken"] = "核查违诺", [HandoverActions.Sign] = "签署意见",
    };

    /// <summary>The Chinese name of a task action.</summary>
    public static string ActionName(string? action) => action is null ? "" : ActionNames.GetValueOrDefault(action, action);

    /// <summary>Adds an event for <paramref name="task"/> to the context; it commits with the caller's unit of work.</summary>
    public static void Record(
        CasesDbContext db, CaseTask task, string kind, string actorId, string? actorName, string? detail, DateTimeOffset at) =>
        db.TaskEvents.Add(new TaskEvent
        {
            TaskId = task.Id,
            ApplicationId = task.ApplicationId,
            ApplicationNumber = task.ApplicationNumber,
            Kind = kind,
            Step = task.Title ?? task.NodeId,
            ActorId = Cut(actorId, 128),
            ActorName = Cut(string.IsNullOrWhiteSpace(actorName) ? actorId : actorName, 100),
            Department = task.Department,
            Detail = detail is null ? null : Cut(detail, 2000),
            At = at,
        });

    /// <summary>The event a workflow task's closing makes, with its detail in Chinese.</summary>
    public static (string Kind, string? Detail) Closing(CaseTask task, WorkflowTaskClosed closed, string? signerName)
    {
        if (!closed.Completed) return (TaskEventKinds.Cancelled, null);
        var result = closed.Result;
        var opinion = Text(result, "opinion");
        string WithOpinion(string head) => opinion is null ? head : $"{head}：{opinion}";
        return closed.Action switch
        {
            HandoverActions.SendBack => (TaskEventKinds.SentBack, $"退回至“{Text(result, "toTitle") ?? Text(result, "to")}”：{Text(result, "reason")}"),
            HandoverActions.Transfer => (TaskEventKinds.Transferred, $"转办至 {Text(result, "to")}：{Text(result, "reason")}"),
            HandoverActions.AddSigner => (TaskEventKinds.SignerAdded, WithOpinion(
                $"{(Text(result, "position") == "before" ? "前加签" : "后加签")}：{signerName ?? Text(result, "signer")}")),
            _ when task.Countersign || closed.Action == HandoverActions.Sign => (TaskEventKinds.CoSigned, WithOpinion(ActionName(closed.Action))),
            _ => (TaskEventKinds.Completed, WithOpinion(ActionName(closed.Action))),
        };
    }

    /// <summary>A text field of a task result.</summary>
    public static string? Text(JsonObject? result, string field) =>
        result?[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];
}
