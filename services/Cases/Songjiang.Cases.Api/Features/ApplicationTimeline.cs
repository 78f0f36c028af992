using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Songjiang.Cases.Api.Domain;
using Songjiang.Cases.Api.Infrastructure;
using Songjiang.Cases.Api.Storage;
using Songjiang.Cases.Api.CaseFlow;
using Songjiang.EventBus;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Paging;
using Songjiang.ServiceDefaults.Problems;
using Songjiang.ServiceDefaults.Time;
using Songjiang.Workflows;

namespace Songjiang.Cases.Api.Features;

/// <summary>Applications: the timeline of an application and its children.</summary>
public static partial class ApplicationsApi
{
    private static async Task<Ok<IReadOnlyList<TimelineEntry>>> TimelineAsync(
        string number, ClaimsPrincipal user, CasesDbContext db, IWorkflowRuntime workflows, CancellationToken cancellationToken)
    {
        var application = await ApplicationAccess.LoadReadableAsync(db, new Caller(user), number, cancellationToken);
        var family = await db.Applications.AsNoTracking().Where(a => a.ParentId == application.Id).ToListAsync(cancellationToken);
        family.Insert(0, application);
        var tasks = await db.Tasks.AsNoTracking().Where(t => family.Select(f => f.Id).Contains(t.ApplicationId))
            .ToDictionaryAsync(t => t.Id, cancellationToken);

        var entries = new List<TimelineEntry>();
        foreach (var member in family)
        {
            entries.Add(new TimelineEntry(member.SubmittedAt, member.Number, "submitted", "提交申请", "applicant", CaseEvents.ChannelName(member.Channel), member.ApplicantName));
        }
        if (application.WorkflowInstanceId is { } root)
        {
            await AddJournalAsync(workflows, root, application.Number, application.ApplicantName, tasks, entries, cancellationToken);
        }
        foreach (var child in family.Skip(1))
        {
            if (child.WorkflowInstanceId is { } instance)
            {
                await AddJournalAsync(workflows, instance, child.Number, child.ApplicantName, tasks, entries, cancellationToken);
            }
        }
        if (application.HandledByCity is not null)
        {
            // Handled by another G60 city: its steps as the exchange reported them.
            var cityName = ApplicationSubmission.CityName(application.HandledByCity);
            foreach (var step in await db.ForwardingSteps.AsNoTracking().Where(s => s.ApplicationId == application.Id).ToListAsync(cancellationToken))
            {
                entries.Add(new TimelineEntry(step.At, application.Number, step.Event, step.Title, "partner-city", step.Detail,
                    step.Event == "resubmitted" ? application.ApplicantName : cityName));
            }
        }
        if (application.RatedAt is { } rated)
        {
            entries.Add(new TimelineEntry(rated, application.Number, "rated", "好差评", "applicant",
                application.Rating is { } score ? RatingCatalogue.LabelOf(RatingCatalogue.FromLegacyScore(score)) : null, application.ApplicantName));
        }
        return TypedResults.Ok<IReadOnlyList<TimelineEntry>>([.. entries.OrderBy(e => e.At)]);
    }

    private static async Task AddJournalAsync(
        IWorkflowRuntime workflows, Guid instanceId, string number, string applicantName, Dictionary<Guid, CaseTask> tasks, List<TimelineEntry> entries,
        CancellationToken cancellationToken)
    {
        foreach (var entry in await workflows.GetJournalAsync(instanceId, cancellationToken))
        {
            var timeline = entry.Action switch
            {
                var a when JournalActions.IsTaskCompleted(a, out var action) => TaskEntry(entry, action, number, applicantName, tasks),
                JournalActions.ClockPaused => new TimelineEntry(entry.At, number, "clock-paused", "法定时限暂停", "system",
                    $"补正期间暂停计时，剩余 {entry.Delta?["remainingWorkingDays"]?.ToJsonString()} 个工作日", SystemName),
                JournalActions.ClockResumed => new TimelineEntry(entry.At, number, "clock-resumed", "法定时限恢复", "system",
                    entry.Delta?["statutoryDueAt"]?.GetValue<string>() is { } due && DateTimeOffset.TryParse(due, System.Globalization.CultureInfo.InvariantCulture, out var dueAt) ? $"法定办结时限：{ChinaTime.DeadlineDay(dueAt)}" : null, SystemName),
                JournalActions.End => new TimelineEntry(entry.At, number, entry.Delta?["outcome"]?.GetValue<string>() ?? "completed", "办结", "system", OutcomeText(entry.Delta?["outcome"]?.GetValue<string>()), SystemName),
                JournalActions.SentBack => new TimelineEntry(entry.At, number, "sent-back", StepOf(entry, tasks), DepartmentOf(entry, tasks),
                    $"退回至“{Field(entry, "toTitle") ?? Field(entry, "to")}”：{Field(entry, "reason")}", NameOf(entry, tasks)),
                JournalActions.Transferred => new TimelineEntry(entry.At, number, "transferred", StepOf(entry, tasks), Field(entry, "from"),
                    $"转办至 {Field(entry, "to")}：{Field(entry, "reason")}", NameOf(entry, tasks)),
                JournalActions.SignerAdded => new TimelineEntry(entry.At, number, "signer-added", StepOf(entry, tasks), DepartmentOf(entry, tasks),
                    Field(entry, "position") == "before" ? "前加签" : "后加签", NameOf(entry, tasks)),
                JournalActions.CountersignDecided => new TimelineEntry(entry.At, number, "countersigned", StepOf(entry, tasks), null,
                    $"会签结果：{TaskJournal.ActionName(Field(entry, "action"))}（{entry.Delta?["agreed"]?.ToJsonString()}/{entry.Delta?["required"]?.ToJsonString()} 同意）", SystemName),
                JournalActions.Migrated => new TimelineEntry(entry.At, number, "migrated", null, "system",
                    $"流程升级：第 {entry.Delta?["fromVersion"]?.ToJsonString()} 版 → 第 {entry.Delta?["toVersion"]?.ToJsonString()} 版，时限不变", SystemName),
                _ => null,
            };
            if (timeline is not null)
            {
                entries.Add(timeline);
            }
        }
    }

    private static string? Field(WorkflowJournalEntry entry, string field) =>
        entry.Delta?[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string? StepOf(WorkflowJournalEntry entry, Dictionary<Guid, CaseTask> tasks) =>
        tasks.Values.FirstOrDefault(t => t.NodeId == entry.NodeId)?.Title ?? entry.NodeId;

    private static string? DepartmentOf(WorkflowJournalEntry entry, Dictionary<Guid, CaseTask> tasks) =>
        tasks.Values.FirstOrDefault(t => t.NodeId == entry.NodeId)?.Department;

    // Who handed the task over: the holder recorded on its work-list row.
    private static string? NameOf(WorkflowJournalEntry entry, Dictionary<Guid, CaseTask> tasks) =>
        tasks.Values.Where(t => t.NodeId == entry.NodeId && t.CompletedBy == entry.Actor).Select(t => t.ClaimedByName).FirstOrDefault(n => n is not null);

    private const string SystemName = "系统";

    private static string OutcomeText(string? outcome) => outcome switch
    {
        "approved" => "准予许可",
        "rejected" => "不予许可",
        "withdrawn" => "申请人已撤回",
        "revoked" => "承诺不实，撤销许可",
        "declined" => "企业放弃享受",
        _ => "办理完毕",
    };

    private static TimelineEntry TaskEntry(WorkflowJournalEntry entry, string action, string number, string applicantName, Dictionary<Guid, CaseTask> tasks)
    {
        var task = entry.Delta?["taskId"] is JsonValue id && Guid.TryParse(id.GetValue<string>(), out var taskId) ? tasks.GetValueOrDefault(taskId) : null;
        task ??= tasks.Values.FirstOrDefault(t => t.NodeId == entry.NodeId && t.Action == action && t.ApplicationNumber == number);
        // The applicant's own steps (and 撤回) are the applicant's; a caseworker completes only a task they claimed.
        var byName = task is null ? null
            : task.Department == Caller.ApplicantDepartment || CaseTask.ApplicantActions.Contains(action) ? applicantName
            : task.CompletedBy is not null && task.CompletedBy == task.ClaimedBy ? task.ClaimedByName : null;
        return new TimelineEntry(entry.At, number, action, task?.Title ?? entry.NodeId, task?.Department, task?.Opinion, byName);
    }
}
