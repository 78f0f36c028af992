using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Songjiang.Workflows.Tests.Infrastructure;
using static Songjiang.Workflows.Tests.Infrastructure.TestDefinitions;

namespace Songjiang.Workflows.Tests.Runtime;

public sealed class LicenceWorkflowTests
{
    private static readonly JsonObject CaseData = new() { ["caseId"] = "SJ-2025-0001", ["investment"] = 500000 };

    private static async Task<Guid> TaskAt(IWorkflowRuntime runtime, WorkflowActor actor, string nodeId) =>
        (await runtime.GetTasksAsync(actor.Department, actor.Roles)).Single(t => t.NodeId == nodeId).Id;

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Accepted_case_runs_parallel_reviews_decides_and_publishes_in_the_same_transaction(Provider provider)
    {
        await using var f = await WorkflowFixture.CreateAsync(provider, Licence());
        var started = await f.Runtime.StartAsync("licence", "SJ-2025-0001", CaseData, Clerk);

        var accepted = await f.Runtime.CompleteTaskAsync(new(started.OpenTaskIds.Single(), Clerk, "accept"));
        Assert.Equal(2, accepted.OpenTaskIds.Count);
        await f.Runtime.CompleteTaskAsync(new(await TaskAt(f.Runtime, Market, "marketReview"), Market, "approve", new() { ["opinion"] = "同意" }));
        var view = await f.Runtime.GetInstanceViewAsync(started.InstanceId);
        Assert.Equal(["fireReview", "reviewed"], view.Tokens.Select(t => t.NodeId).Order());

        await f.Runtime.CompleteTaskAsync(new(await TaskAt(f.Runtime, Fire, "fireReview"), Fire, "approve"));

        view = await f.Runtime.GetInstanceViewAsync(started.InstanceId);
        Assert.Equal(WorkflowInstanceStatus.Completed, view.Status);
        Assert.Equal("approved", view.Outcome);
        Assert.Equal("同意", view.Data["marketReview"]!["opinion"]!.GetValue<string>());
        await using var db = f.Database.CreateContext();
        var outbox = await db.Outbox.SingleAsync();
        Assert.Equal("case.approved", outbox.Topic);
        Assert.Equal("SJ-2025-0001", outbox.CorrelationId);
        Assert.Equal(50m, JsonNode.Parse(outbox.Payload)!["investmentWan"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_rejected_review_takes_the_otherwise_branch()
    {
        await using var f = await WorkflowFixture.CreateAsync(Provider.Sqlite, Licence());
        var started = await f.Runtime.StartAsync("licence", "SJ-2", CaseData, Clerk);
        var reviews = await f.Runtime.CompleteTaskAsync(new(started.OpenTaskIds.Single(), Clerk, "accept"));
        await f.Runtime.CompleteTaskAsync(new(await TaskAt(f.Runtime, Market, "marketReview"), Market, "reject"));
        await f.Runtime.CompleteTaskAsync(new(await TaskAt(f.Runtime, Fire, "fireReview"), Fire, "approve"));

        var view = await f.Runtime.GetInstanceViewAsync(started.InstanceId);
        Assert.Equal("rejected", view.Outcome);
        Assert.Equal(2, reviews.OpenTaskIds.Count);
        await using var db = f.Database.CreateContext();
        Assert.Empty(await db.Outbox.ToListAsync());
    }

    [Fact]
    public async Task Tasks_are_listed_by_department_and_role_and_refuse_other_actors()
    {
        await using var f = await WorkflowFixture.CreateAsync(Provider.Sqlite, Licence());
        var started = await f.Runtime.StartAsync("licence", "SJ-3", CaseData, Clerk);
        var taskId = started.OpenTaskIds.Single();

        Assert.Single(await f.Runtime.GetTasksAsync("service-centre", ["clerk"]));
        Assert.Empty(await f.Runtime.GetTasksAsync("service-centre", ["auditor"]));
        Assert.Empty(await f.Runtime.GetTasksAsync("market", ["clerk"]));
        await Assert.ThrowsAsync<WorkflowTaskForbiddenException>(() => f.Runtime.CompleteTaskAsync(new(taskId, Market, "accept")));
        await Assert.ThrowsAsync<WorkflowActionNotAllowedException>(() => f.Runtime.CompleteTaskAsync(new(taskId, Clerk, "approve")));
        Assert.Single(await f.Runtime.GetTasksAsync("service-centre", ["clerk"]));
    }

    [Fact]
    public async Task A_second_completion_of_a_finished_task_is_ignored_and_reported()
    {
        await using var f = await WorkflowFixture.CreateAsync(Provider.Sqlite, Licence());
        var started = await f.Runtime.StartAsync("licence", "SJ-4", CaseData, Clerk);
        var taskId = started.OpenTaskIds.Single();

        var first = await f.Runtime.CompleteTaskAsync(new(taskId, Clerk, "accept"));
        var versionAfterFirst = await VersionAsync(f, started.InstanceId);
        var second = await f.Runtime.CompleteTaskAsync(new(taskId, Clerk, "accept"));
        var unknown = await f.Runtime.CompleteTaskAsync(new(Guid.NewGuid(), Clerk, "accept"));

        Assert.True(first.Applied);
        Assert.False(second.Applied);
        Assert.Contains("no longer open", second.IgnoredReason);
        Assert.False(unknown.Applied);
        var journal = await f.Runtime.GetJournalAsync(started.InstanceId);
        Assert.Single(journal, e => e.Action == "task.accept");
        Assert.Equal(2, (await f.Runtime.GetInstanceViewAsync(started.InstanceId)).Tokens.Count);
        Assert.Equal(versionAfterFirst, await VersionAsync(f, started.InstanceId)); // an ignored command writes nothing
    }

    private static async Task<int> VersionAsync(WorkflowFixture f, Guid instanceId)
    {
        await using var db = f.Database.CreateContext();
        return (await db.Set<Persistence.InstanceRecord>().AsNoTracking().SingleAsync(i => i.Id == instanceId)).Version;
    }

    [Fact]
    public async Task Correction_pauses_the_statutory_clock_and_resubmission_resumes_it_with_the_remaining_days()
    {
        await using var f = await WorkflowFixture.CreateAsync(Provider.Sqlite, Licence());
        var started = await f.Runtime.StartAsync("licence", "SJ-5", CaseData, Clerk);
        var shanghai = TimeSpan.FromHours(8);
        // 20 working days from Tue 2025-09-02 end on Mon 2025-09-29 (Sun 09-28 is a make-up working day).
        Assert.Equal(new DateTimeOffset(2025, 9, 30, 0, 0, 0, shanghai), (await f.Runtime.GetInstanceViewAsync(started.InstanceId)).StatutoryDueAt);

        var correction = await f.Runtime.CompleteTaskAsync(new(started.OpenTaskIds.Single(), Clerk, "correct"));
        Assert.True((await f.Runtime.GetInstanceViewAsync(started.InstanceId)).ClockPaused);

        f.Time.SetUtcNow(new DateTimeOffset(2025, 10, 9, 10, 0, 0, shanghai));
        await f.Runtime.CompleteTaskAsync(new(correction.OpenTaskIds.Single(), Applicant, "resubmit"));

        // The full 20 days remain: counted from Thu 10-09 over the make-up Saturday 10-11 to Wed 11-05.
        var view = await f.Runtime.GetInstanceViewAsync(started.InstanceId);
        Assert.False(view.ClockPaused);
        Assert.Equal(new DateTimeOffset(2025, 11, 6, 0, 0, 0, shanghai), view.StatutoryDueAt);
        var journal = await f.Runtime.GetJournalAsync(started.InstanceId);
        Assert.Equal(20, journal.Single(e => e.Action == "clock.paused").Delta!["remainingWorkingDays"]!.GetValue<int>());
    }

    [Fact]
    public async Task Instances_started_on_v1_finish_on_v1_after_v2_is_published()
    {
        await using var f = await WorkflowFixture.CreateAsync(Provider.Sqlite, Licence(1, "approved"));
        var old = await f.Runtime.StartAsync("licence", "SJ-OLD", CaseData, Clerk);
        await f.Runtime.PublishDefinitionAsync(Licence(2, "approved-v2"));
        var fresh = await f.Runtime.StartAsync("licence", "SJ-NEW", CaseData, Clerk);

        foreach (var started in new[] { old, fresh })
        {
            var reviews = await f.Runtime.CompleteTaskAsync(new(started.OpenTaskIds.Single(), Clerk, "accept"));
            foreach (var taskId in reviews.OpenTaskIds)
            {
                var task = (await f.Runtime.GetTasksAsync("market", ["reviewer"])).Concat(await f.Runtime.GetTasksAsync("fire", ["reviewer"])).Single(t => t.Id == taskId);
                await f.Runtime.CompleteTaskAsync(new(taskId, task.Department == "market" ? Market : Fire, "approve"));
            }
        }

        Assert.Equal((1, "approved"), await VersionAndOutcome(f, old.InstanceId));
        Assert.Equal((2, "approved-v2"), await VersionAndOutcome(f, fresh.InstanceId));
        await Assert.ThrowsAsync<Songjiang.Workflows.Definitions.WorkflowDefinitionException>(
            () => f.Runtime.PublishDefinitionAsync(Licence(2, "changed")));
    }

    [Fact]
    public async Task Journal_records_actor_action_and_data_delta_and_the_view_draws_the_graph()
    {
        await using var f = await WorkflowFixture.CreateAsync(Provider.Sqlite, Licence());
        var started = await f.Runtime.StartAsync("licence", "SJ-6", CaseData, Clerk);
        await f.Runtime.CompleteTaskAsync(new(started.OpenTaskIds.Single(), Clerk, "accept", new() { ["note"] = "材料齐全" }));

        var journal = await f.Runtime.GetJournalAsync(started.InstanceId);
        var accept = journal.Single(e => e.Action == "task.accept");
        Assert.Equal("clerk-1", accept.Actor);
        Assert.Equal("材料齐全", accept.Delta!["note"]!.GetValue<string>());
        Assert.Equal(["started", "start", "task.opened", "task.accept", "fork", "task.opened", "task.opened"], journal.Select(e => e.Action));

        var view = await f.Runtime.GetInstanceViewAsync(started.InstanceId);
        Assert.Equal(11, view.Nodes.Count);
        Assert.Contains(view.Edges, e => e is { From: "accept", To: "correction", Label: "correct" });
        Assert.Equal(["fireReview", "marketReview"], view.Tokens.Select(t => t.NodeId).Order());
    }

    private static async Task<(int, string?)> VersionAndOutcome(WorkflowFixture f, Guid id)
    {
        var view = await f.Runtime.GetInstanceViewAsync(id);
        return (view.DefinitionVersion, view.Outcome);
    }
}
