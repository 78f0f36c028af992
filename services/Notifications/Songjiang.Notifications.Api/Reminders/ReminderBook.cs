using Microsoft.EntityFrameworkCore;
using Songjiang.Notifications.Api.Application;
using Songjiang.Notifications.Api.Domain;
using Songjiang.Notifications.Api.Infrastructure;
using Songjiang.Notifications.Api.IntegrationEvents.EventHandling;
using Songjiang.Notifications.Api.IntegrationEvents.Events;
using Songjiang.Workflows.Calendar;

namespace Songjiang.Notifications.Api.Reminders;

/// <summary>
/// Keeps the deadlines to remind of, in the event inbox's transaction. A task's reminder is keyed by the task, so a
/// hand-over moves it and a close settles it; a close that arrives before the task's assignment leaves a settled row
/// the assignment then finds, so order does not matter.
/// </summary>
public sealed class ReminderBook(NotificationsDbContext db, TimeProvider clock)
{
    /// <summary>Morning of the reminder day, China time.</summary>
    public static readonly TimeOnly ReminderTime = new(9, 0);

    /// <summary>Schedules (or moves) the reminder of a task that has a due date.</summary>
    public async Task ScheduleAsync(TaskAssignedIntegrationEvent evt, string recipient, CancellationToken ct)
    {
        if (evt.DueAt is not { } dueAt)
        {
            return;
        }
        var key = TaskKey(evt.TaskId);
        var existing = await db.Reminders.FindAsync([key], ct);
        if (existing is not null)
        {
            // A hand-over: the same deadline, now the new holder's. Assignments of one task can arrive out of order
            // (concurrent consumers, retries): an older one never takes the reminder back from a newer holder.
            if (existing.DoneAt is null && evt.OccurredAt > existing.OpenedAt)
            {
                existing.Recipient = recipient;
                existing.OpenedAt = evt.OccurredAt;
            }
            return;
        }
        db.Reminders.Add(new Reminder
        {
            Key = key, Recipient = recipient, ApplicationNumber = evt.ApplicationNumber, ApplicationName = evt.ApplicationName,
            What = evt.Title, ForApplicant = evt.Department == TaskEventHandlers.ApplicantDepartment,
            Link = evt.Department == TaskEventHandlers.ApplicantDepartment ? Messages.ApplicationLink(evt.ApplicationNumber) : Messages.TaskLink(evt.TaskId),
            DueAt = dueAt, RemindAt = RemindAt(dueAt), OpenedAt = evt.OccurredAt,
        });
    }

    /// <summary>Settles a task's reminder; remembers the close when the task's assignment has not arrived yet.</summary>
    public async Task SettleTaskAsync(Guid taskId, string applicationNumber, CancellationToken ct)
    {
        var key = TaskKey(taskId);
        var reminder = await db.Reminders.FindAsync([key], ct);
        if (reminder is null)
        {
            db.Reminders.Add(new Reminder
            {
                Key = key, Recipient = "", ApplicationNumber = applicationNumber, DoneAt = clock.GetUtcNow(), Outcome = "settled",
            });
        }
        else if (reminder.DoneAt is null)
        {
            reminder.DoneAt = clock.GetUtcNow();
            reminder.Outcome = "settled";
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Settles the applicant's open reminders of an application opened before a resubmission.</summary>
    public async Task<int> SettleApplicantRemindersAsync(string applicationNumber, DateTimeOffset at, CancellationToken ct)
    {
        var open = await db.Reminders
            .Where(r => r.ApplicationNumber == applicationNumber && r.ForApplicant && r.DoneAt == null)
            .ToListAsync(ct);
        var settled = 0;
        foreach (var reminder in open.Where(r => r.OpenedAt <= at))
        {
            reminder.DoneAt = clock.GetUtcNow();
            reminder.Outcome = "settled";
            settled++;
        }
        await db.SaveChangesAsync(ct);
        return settled;
    }

    /// <summary>
    /// 09:00 China time on the working day before the deadline's last day (a deadline at local midnight ends the day
    /// before it), by the platform's working-day calendar.
    /// </summary>
    public static DateTimeOffset RemindAt(DateTimeOffset dueAt)
    {
        var calendar = WorkingDayCalendar.China;
        var lastDay = calendar.LocalDate(dueAt.AddTicks(-1));
        var day = lastDay.AddDays(-1);
        try
        {
            while (!calendar.IsWorkingDay(day))
            {
                day = day.AddDays(-1);
            }
        }
        catch (CalendarYearNotCoveredException)
        {
            // Outside the calendar's data: the plain day before.
            day = lastDay.AddDays(-1);
        }
        var local = day.ToDateTime(ReminderTime);
        return new DateTimeOffset(local, calendar.TimeZone.GetUtcOffset(local));
    }

    private static string TaskKey(Guid taskId) => "task:" + taskId.ToString("N");
}
