using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Songjiang.Cases.Api.Infrastructure;
using Songjiang.Cases.Tests.Support;
using Songjiang.Testing;
using Songjiang.Workflows;

namespace Songjiang.Cases.Tests;

/// <summary>督办: a step past its deadline is marked escalated in the work list and announced with an integration event.</summary>
public sealed class EscalationTests(CasesPlatform platform) : IClassFixture<CasesPlatform>
{
    private readonly CaseDriver _cases = new(platform);

    [Fact]
    public async Task An_overdue_acceptance_is_escalated_and_published_in_the_timer_s_transaction()
    {
        var view = await _cases.SubmitAsync("ent-zhisuan", new
        {
            matterCode = "SJ-RS-002",
            form = new { uscc = CaseDriver.Zhisuan, reason = "经营调整", arrearsSettled = true },
            materials = await _cases.UploadAllAsync("ent-zhisuan", "application", "settlement"),
        });
        var number = view.GetProperty("summary").GetProperty("number").GetString()!;
        var task = Assert.Single(await _cases.TasksAsync("hr-clerk", number));
        Assert.False(task.GetProperty("escalated").GetBoolean());
        var taskId = task.GetProperty("id").GetGuid();

        // A working day passes: the task's escalation timer falls due (timers keep instants as Unix milliseconds).
        var services = platform.Host.Application("cases").Services;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
            var moved = await db.Database.ExecuteSqlAsync($"UPDATE wf_timers SET due_at = 0 WHERE token_id = {taskId} AND boundary_id = 'overdue'");
            Assert.Equal(1, moved);
        }
        await services.GetRequiredService<IWorkflowRuntime>().FireDueTimersAsync();

        var escalated = Assert.Single(await _cases.TasksAsync("hr-clerk", number));
        Assert.True(escalated.GetProperty("escalated").GetBoolean());
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
            var envelopes = await db.Database.SqlQuery<string>($"SELECT envelope AS \"Value\" FROM eventbus_outbox WHERE topic = 'cases.task-overdue.v1'")
                .ToListAsync();
            Assert.Contains(envelopes, e => e.Contains(taskId.ToString(), StringComparison.Ordinal) && e.Contains(number, StringComparison.Ordinal));
        }

        // The task is still the clerk's to do; the escalation does not complete it.
        await _cases.ActAsync("hr-clerk", number, "accept");
        Assert.Equal("under-review", (await _cases.ApplicationAsync("ent-zhisuan", number)).GetProperty("summary").GetProperty("status").GetString());
    }
}
