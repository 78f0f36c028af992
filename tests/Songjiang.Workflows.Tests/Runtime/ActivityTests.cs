using Microsoft.EntityFrameworkCore;
using Songjiang.Workflows.Tests.Infrastructure;
using static Songjiang.Workflows.Tests.Infrastructure.TestDefinitions;

namespace Songjiang.Workflows.Tests.Runtime;

public sealed class ActivityTests
{
    private static readonly WorkflowActor[] Branches = [Market, Fire, Clerk];

    [Theory]
    [InlineData("all", 0, 3)]
    [InlineData("any", 0, 1)]
    [InlineData("nOfM", 2, 2)]
    public async Task Join_fires_after_the_required_number_of_branches_and_cancels_the_rest(string mode, int count, int required)
    {
        await using var f = await WorkflowFixture.CreateAsync(Provider.Sqlite, Parallel(mode, count));
        var started = await f.Runtime.StartAsync($"parallel-{mode}", "P-1", null, Clerk);
        var tasks = started.OpenTaskIds.ToList();
        Assert.Equal(3, tasks.Count);

        for (var i = 0; i < required; i++)
        {
            var task = (await f.Runtime.GetTasksAsync(Branches[i].Department, Branches[i].Roles)).Single();
            var result = await f.Runtime.CompleteTaskAsync(new(task.Id, Branches[i], "done"));
            Assert.Equal(i < required - 1 ? 2 - i : 0, result.OpenTaskIds.Count);
        }

        var view = await f.Runtime.GetInstanceViewAsync(started.InstanceId);
        Assert.Equal("done", view.Outcome);
        Assert.Empty(view.Tokens);
        var journal = await f.Runtime.GetJournalAsync(started.InstanceId);
        Assert.Equal(3 - required, journal.Single(e => e.Action == "join").Delta!["cancelled"]!.GetValue<int>());
        if (required < 3)
        {
            var late = (await f.Runtime.GetTasksAsync(Branches[2].Department, Branches[2].Roles)).SingleOrDefault();
            Assert.Null(late);
        }
    }

    [Fact]
    public async Task Wait_for_event_resumes_on_its_correlation_only_once_then_a_working_day_timer_fires()
    {
        await using var f = await WorkflowFixture.CreateAsync(Provider.Sqlite, WaitThenTimer);
        // Friday 2025-09-26 09:00: one working day later is the make-up Sunday 09-28.
        f.Time.SetUtcNow(new DateTimeOffset(2025, 9, 26, 9, 0, 0, TimeSpan.FromHours(8)));
        var started = await f.Runtime.StartAsync("wait-timer", "SJ-9", new() { ["caseId"] = "SJ-9" }, Clerk);

        Assert.Empty(await f.Runtime.RaiseEventAsync("LicenceIssued", "SJ-other", null));
        var delivered = await f.Runtime.RaiseEventAsync("LicenceIssued", "SJ-9", new() { ["licenceNo"] = "L-1" });
        var duplicate = await f.Runtime.RaiseEventAsync("LicenceIssued", "SJ-9", new() { ["licenceNo"] = "L-1" });
        Assert.True(Assert.Single(delivered).Applied);
        Assert.Empty(duplicate);

        var waiting = await f.Runtime.GetInstanceViewAsync(started.InstanceId);
        Assert.Equal("L-1", waiting.Data["awaitLicence"]!["licenceNo"]!.GetValue<string>());
        Assert.Equal(["cooling"], waiting.Tokens.Select(t => t.NodeId));
        f.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await f.Runtime.FireDueTimersAsync());
        f.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, await f.Runtime.FireDueTimersAsync());
        Assert.Equal(0, await f.Runtime.FireDueTimersAsync());
        Assert.Equal("issued", (await f.Runtime.GetInstanceViewAsync(started.InstanceId)).Outcome);
    }

    [Fact]
    public async Task Boundary_timers_remind_and_escalate_and_never_fire_after_the_task_is_completed()
    {
        await using var f = await WorkflowFixture.CreateAsync(Provider.Sqlite, Licence());
        var started = await f.Runtime.StartAsync("licence", "SJ-10", new() { ["caseId"] = "SJ-10", ["investment"] = 1 }, Clerk);
        await f.Runtime.CompleteTaskAsync(new(started.OpenTaskIds.Single(), Clerk, "accept"));

        f.Time.Advance(TimeSpan.FromDays(2)); // Thursday: the 2-working-day reminder is due
        Assert.Equal(1, await f.Runtime.FireDueTimersAsync());
        f.Time.Advance(TimeSpan.FromDays(5)); // the following Tuesday: escalation (督办) is due
        Assert.Equal(1, await f.Runtime.FireDueTimersAsync());
        var task = (await f.Runtime.GetTasksAsync("market", ["reviewer"])).Single();
        Assert.True(task.Escalated);

        await using (var db = f.Database.CreateContext())
            Assert.Equal(["task.escalated", "task.reminder"], (await db.Outbox.Select(o => o.Topic).ToListAsync()).Order());
        await f.Runtime.CompleteTaskAsync(new(task.Id, Market, "approve"));
        f.Time.Advance(TimeSpan.FromDays(30));
        Assert.Equal(0, await f.Runtime.FireDueTimersAsync());
    }

    [Fact]
    public async Task Interrupting_boundary_timer_moves_the_case_on_and_a_late_completion_is_ignored()
    {
        await using var f = await WorkflowFixture.CreateAsync(Provider.Sqlite, TimeoutReview);
        var started = await f.Runtime.StartAsync("timeout", "SJ-11", null, Clerk);

        f.Time.Advance(TimeSpan.FromHours(4));
        Assert.Equal(1, await f.Runtime.FireDueTimersAsync());
        var late = await f.Runtime.CompleteTaskAsync(new(started.OpenTaskIds.Single(), Market, "approve"));

        Assert.False(late.Applied);
        Assert.Equal("expired", (await f.Runtime.GetInstanceViewAsync(started.InstanceId)).Outcome);
    }

    [Fact]
    public async Task Sub_workflows_with_nested_parallel_reviews_join_back_into_the_bundle()
    {
        await using var f = await WorkflowFixture.CreateAsync(Provider.Sqlite, Matter, Bundle);
        var data = System.Text.Json.Nodes.JsonNode.Parse("""{ "matters": [ { "matter": "设立登记" }, { "matter": "消防验收" } ] }""")!.AsObject();
        var started = await f.Runtime.StartAsync("bundle", "YJS-1", data, Clerk);

        var marketTasks = await f.Runtime.GetTasksAsync("market", ["reviewer"]);
        var fireTasks = await f.Runtime.GetTasksAsync("fire", ["reviewer"]);
        Assert.Equal(2, marketTasks.Count);
        Assert.Equal(["YJS-1/fanOut/1", "YJS-1/fanOut/2"], marketTasks.Select(t => t.CorrelationId).Order());
        foreach (var task in marketTasks) await f.Runtime.CompleteTaskAsync(new(task.Id, Market, "approve"));
        foreach (var task in fireTasks.Skip(1)) await f.Runtime.CompleteTaskAsync(new(task.Id, Fire, "approve"));
        Assert.Equal(WorkflowInstanceStatus.Running, (await f.Runtime.GetInstanceViewAsync(started.InstanceId)).Status);

        await f.Runtime.CompleteTaskAsync(new(fireTasks[0].Id, Fire, "approve"));
        var view = await f.Runtime.GetInstanceViewAsync(started.InstanceId);
        Assert.Equal("bundled", view.Outcome);
        Assert.All(view.Data["fanOut"]!["outcomes"]!.AsArray(), o => Assert.Equal("approved", o!["outcome"]!.GetValue<string>()));
        Assert.Equal(2, (await f.Runtime.GetJournalAsync(started.InstanceId)).Count(e => e.Action == "child.ended"));
    }
}
