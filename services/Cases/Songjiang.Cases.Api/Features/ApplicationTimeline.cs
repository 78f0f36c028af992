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
        if (application.RatedAt is { } rated)
        {
            entries.Add(new TimelineEntry(rated, application.Number, "rated", "评价", "applicant", application.Rating?.ToString(System.Globalization.CultureInfo.InvariantCulture), application.ApplicantName));
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
                _ => null,
            };
            if (timeline is not null)
            {
                entries.Add(timeline);
            }
        }
    }

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
