using Songjiang.Notifications.Api.Reminders;
using Songjiang.Notifications.Tests.Support;

namespace Songjiang.Notifications.Tests;

/// <summary>Deadline reminders on the working day before a deadline, by the platform's working-day calendar, once.</summary>
public sealed class ReminderTests(NotificationsFixture platform) : IClassFixture<NotificationsFixture>
{
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    [Theory]
    // Due by the end of Thursday 8 October 2026: the working day before is 30 September (1–7 October is the National Day holiday).
    [InlineData("2026-10-09", "2026-09-30")]
    // Due by the end of Monday 7 December 2026: the Friday before.
    [InlineData("2026-12-08", "2026-12-04")]
    // Due by the end of Wednesday 9 December 2026: Tuesday.
    [InlineData("2026-12-10", "2026-12-08")]
    // Due by the end of Monday 12 October 2026: Saturday 10 October is a make-up working day (调休).
    [InlineData("2026-10-13", "2026-10-10")]
    public void The_reminder_falls_at_nine_on_the_working_day_before_the_last_day(string dueMidnight, string remindDay)
    {
        var dueAt = new DateTimeOffset(DateOnly.Parse(dueMidnight, System.Globalization.CultureInfo.InvariantCulture).ToDateTime(TimeOnly.MinValue), ChinaOffset);
        var expected = new DateTimeOffset(DateOnly.Parse(remindDay, System.Globalization.CultureInfo.InvariantCulture).ToDateTime(new TimeOnly(9, 0)), ChinaOffset);
        Assert.Equal(expected, ReminderBook.RemindAt(dueAt));
    }

    [Fact]
    public async Task A_task_due_by_the_end_of_today_is_reminded_once_and_a_closed_one_never()
    {
        var reviewer = await platform.UserTokenAsync("wj-reviewer");
        var reviewerId = Tokens.Subject(reviewer);
        var endOfToday = EndOfTodayInChina();
        var open = Events.NewNumber();
        var closed = Events.NewNumber();

        var assignment = Events.TaskHandedTo(Guid.NewGuid(), open, "health", reviewerId, endOfToday);
        await platform.PublishAsync(assignment);
        await platform.PublishAsync(assignment);
        // The close overtakes the assignment: the reminder must still never go out.
        var closedTask = Guid.NewGuid();
        await platform.PublishAsync(Events.TaskClosed(closedTask, closed));
        await platform.TaskSettledAsync(closedTask);
        await platform.PublishAsync(Events.TaskHandedTo(closedTask, closed, "health", reviewerId, endOfToday));

        var inbox = await platform.InboxEventuallyAsync(reviewer, items =>
            NotificationsFixture.About(items, open).Any(i => i.GetProperty("category").GetString() == "DeadlineReminder") &&
            NotificationsFixture.About(items, closed).Count >= 1);
        await Task.Delay(1000);
        inbox = await platform.InboxAsync(reviewer);

        var reminder = Assert.Single(NotificationsFixture.About(inbox, open), i => i.GetProperty("category").GetString() == "DeadlineReminder");
        Assert.Equal("即将到期：审查决定", reminder.GetProperty("title").GetString());
        Assert.Contains("到期前办理", reminder.GetProperty("body").GetString());
        Assert.DoesNotContain(NotificationsFixture.About(inbox, closed), i => i.GetProperty("category").GetString() == "DeadlineReminder");
    }

    [Fact]
    public async Task A_hand_over_keeps_the_reminder_with_the_new_holder_when_the_older_assignment_arrives_last()
    {
        var reviewer = await platform.UserTokenAsync("wj-reviewer");
        var reviewerId = Tokens.Subject(reviewer);
        var number = Events.NewNumber();
        var task = Guid.NewGuid();
        var dueAt = EndOfTodayInChina().AddDays(30);
        var handedOver = Events.TaskHandedTo(task, number, "health", reviewerId, dueAt);
        // The queue's assignment happened first but is delivered last (concurrent consumers, a retry).
        var queued = Events.TaskQueued(task, number, "health", dueAt) with { OccurredAt = handedOver.OccurredAt.AddMinutes(-1) };

        await platform.PublishAsync(handedOver);
        await platform.InboxEventuallyAsync(reviewer, items => NotificationsFixture.About(items, number).Count >= 1);
        await platform.PublishAsync(queued);
        await platform.InboxEventuallyAsync(reviewer, items => NotificationsFixture.About(items, number).Count >= 2);

        var reminder = await platform.ReminderAsync(task);
        Assert.Equal(Songjiang.Notifications.Api.Domain.Recipients.User(reviewerId), reminder.Recipient);
    }

    [Fact]
    public async Task The_applicant_is_reminded_of_its_correction_deadline_once_unless_it_has_resubmitted()
    {
        var enterprise = await platform.UserTokenAsync("ent-zhisuan");
        var endOfToday = EndOfTodayInChina();
        var pending = Events.NewNumber();
        var resubmitted = Events.NewNumber();
        await platform.PublishAsync(Events.ApplicantTask(Guid.NewGuid(), pending, endOfToday));
        var doneTask = Guid.NewGuid();
        await platform.PublishAsync(Events.TaskClosed(doneTask, resubmitted));
        await platform.TaskSettledAsync(doneTask);
        await platform.PublishAsync(Events.ApplicantTask(doneTask, resubmitted, endOfToday));

        await platform.InboxEventuallyAsync(enterprise, items =>
            NotificationsFixture.About(items, pending).Any(i => i.GetProperty("category").GetString() == "DeadlineReminder"));
        await Task.Delay(1000);
        var inbox = await platform.InboxAsync(enterprise);
        var reminder = Assert.Single(NotificationsFixture.About(inbox, pending), i => i.GetProperty("category").GetString() == "DeadlineReminder");
        Assert.Contains("补正材料", reminder.GetProperty("body").GetString());
        Assert.Equal($"/api/cases/applications/{pending}", reminder.GetProperty("link").GetString());
        Assert.DoesNotContain(NotificationsFixture.About(inbox, resubmitted), i => i.GetProperty("category").GetString() == "DeadlineReminder");
    }

    // A deadline at the end of the current China day: its last day is today, so the working day before is already past
    // and the reminder is due at once, while the deadline itself is still ahead.
    private static DateTimeOffset EndOfTodayInChina()
    {
        var now = DateTimeOffset.UtcNow.ToOffset(ChinaOffset);
        return new DateTimeOffset(DateOnly.FromDateTime(now.DateTime).AddDays(1).ToDateTime(TimeOnly.MinValue), ChinaOffset);
    }
}
