using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Songjiang.Notifications.Api.Infrastructure;
using Songjiang.Notifications.Api.Reminders;
using Songjiang.Notifications.Tests.Support;
using Songjiang.Workflows.Calendar;
using Songjiang.Testing;
using System.Net;

namespace Songjiang.Notifications.Tests;

/// <summary>A real case on the platform: the cases service's own events reach the department and the applicant.</summary>
public sealed class CaseFlowTests(NotificationsFixture platform) : IClassFixture<NotificationsFixture>
{
    [Fact]
    public async Task A_submitted_case_lands_in_the_department_queue_and_a_correction_tells_the_applicant_which_materials_by_name()
    {
        var cases = new CaseDriver(platform);
        var view = await cases.SubmitAsync("ent-zhisuan", new
        {
            matterCode = "SJ-RS-002",
            form = new { uscc = CaseDriver.Zhisuan, reason = "企业经营调整，员工全部转入集团公司参保", arrearsSettled = true },
            materials = await cases.UploadAllAsync("ent-zhisuan", "application", "settlement"),
        });
        var number = view.GetProperty("summary").GetProperty("number").GetString()!;

        var clerk = await platform.UserTokenAsync("hr-clerk");
        // A 受理 step due the next working day also brings its 即将到期 reminder at once, so look for the new task by category.
        static List<System.Text.Json.JsonElement> Assigned(List<System.Text.Json.JsonElement> items, string number) =>
            [.. NotificationsFixture.About(items, number).Where(i => i.GetProperty("category").GetString() == "TaskAssigned")];
        var queued = await platform.InboxEventuallyAsync(clerk, items => Assigned(items, number).Count == 1);
        var task = Assigned(queued, number).Single();
        Assert.Contains("进入本部门待办", task.GetProperty("body").GetString());

        var taskId = Assert.Single(await cases.TasksAsync("hr-clerk", number)).GetProperty("id").GetGuid();
        await cases.ExpectAsync(HttpStatusCode.OK, "hr-clerk", HttpMethod.Post, $"/api/cases/tasks/{taskId}/claim");
        await cases.ExpectAsync(HttpStatusCode.OK, "hr-clerk", HttpMethod.Post, $"/api/cases/tasks/{taskId}/complete",
            new { action = "correct", opinion = "社保费结清证明缺少税务部门盖章，请补正。", materials = new[] { "settlement" } });

        var enterprise = await platform.UserTokenAsync("ent-zhisuan");
        var inbox = await platform.InboxEventuallyAsync(enterprise, items =>
            NotificationsFixture.About(items, number).Any(i => i.GetProperty("category").GetString() == "CorrectionRequested") &&
            NotificationsFixture.About(items, number).Any(i => i.GetProperty("category").GetString() == "TaskAssigned"));
        var correction = NotificationsFixture.About(inbox, number).Single(i => i.GetProperty("category").GetString() == "CorrectionRequested");
        var body = correction.GetProperty("body").GetString()!;
        Assert.Contains("缺少税务部门盖章", body);
        Assert.DoesNotContain("settlement", body);
        Assert.Matches(@"需补正的材料：\p{IsCJKUnifiedIdeographs}+", body);

        // By when: the correction step's deadline from the workflow definition (10 working days), a China calendar day,
        // and the applicant's reminder is booked for the working day before it.
        var dueAt = WorkingDayCalendar.China.DueAt(DateTimeOffset.UtcNow, 10);
        var lastDay = WorkingDayCalendar.China.LocalDate(dueAt.AddTicks(-1));
        Assert.Contains($"请于{lastDay.Year}年{lastDay.Month}月{lastDay.Day}日前", body);
        await using (var scope = platform.Host.Application("notifications").Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
            var reminder = await db.Reminders.AsNoTracking().SingleAsync(r => r.ApplicationNumber == number && r.ForApplicant);
            Assert.Equal(dueAt, reminder.DueAt);
            Assert.Equal(ReminderBook.RemindAt(dueAt), reminder.RemindAt);
            Assert.Null(reminder.DoneAt);
        }

        // The queue's task closed when the clerk acted; the department is not reminded of it.
        Assert.Empty(NotificationsFixture.About(await platform.InboxAsync(await platform.UserTokenAsync("tax-clerk")), number));
    }
}
