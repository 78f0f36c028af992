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
            entries.Add(new TimelineEntry(member.SubmittedAt, member.Number, "submitted", null, "applicant", CaseEvents.ChannelName(member.Channel)));
        }
        if (application.WorkflowInstanceId is { } root)
        {
            await AddJournalAsync(workflows, root, application.Number, tasks, entries, cancellationToken);
        }
        foreach (var child in family.Skip(1))
        {
            if (child.WorkflowInstanceId is { } instance)
            {
                await AddJournalAsync(workflows, instance, child.Number, tasks, entries, cancellationToken);
            }
        }
        if (application.RatedAt is { } rated)
        {
            entries.Add(new TimelineEntry(rated, application.Number, "rated", "好差评", "applicant",
                application.Rating is { } score ? RatingCatalogue.LabelOf(RatingCatalogue.FromLegacyScore(score)) : null));
        }
        return TypedResults.Ok<IReadOnlyList<TimelineEntry>>([.. entries.OrderBy(e => e.At)]);
    }

    private static async Task AddJournalAsync(
        IWorkflowRuntime workflows, Guid instanceId, string number, Dictionary<Guid, CaseTask> tasks, List<TimelineEntry> entries,
        CancellationToken cancellationToken)
    {
        foreach (var entry in await workflows.GetJournalAsync(instanceId, cancellationToken))
        {
            var timeline = entry.Action switch
            {
                var a when JournalActions.IsTaskCompleted(a, out var action) => TaskEntry(entry, action, number, tasks),
                JournalActions.ClockPaused => new TimelineEntry(entry.At, number, "clock-paused", "法定时限暂停", "system",
                    $"补正期间暂停计时，剩余 {entry.Delta?["remainingWorkingDays"]?.ToJsonString()} 个工作日"),
                JournalActions.ClockResumed => new TimelineEntry(entry.At, number, "clock-resumed", "法定时限恢复", "system",
                    entry.Delta?["statutoryDueAt"]?.GetValue<string>() is { } due ? $"法定办结时限：{due}" : null),
                JournalActions.End => new TimelineEntry(entry.At, number, entry.Delta?["outcome"]?.GetValue<string>() ?? "completed", null, "system", null),
                _ => null,
            };
            if (timeline is not null)
            {
                entries.Add(timeline);
            }
        }
    }

    private static TimelineEntry TaskEntry(WorkflowJournalEntry entry, string action, string number, Dictionary<Guid, CaseTask> tasks)
    {
        var task = entry.Delta?["taskId"] is JsonValue id && Guid.TryParse(id.GetValue<string>(), out var taskId) ? tasks.GetValueOrDefault(taskId) : null;
        task ??= tasks.Values.FirstOrDefault(t => t.NodeId == entry.NodeId && t.Action == action && t.ApplicationNumber == number);
        return new TimelineEntry(entry.At, number, action, task?.Title ?? entry.NodeId, task?.Department, task?.Opinion);
    }
}
