using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Songjiang.Workflows.Tests.Infrastructure;

namespace Songjiang.Workflows.Tests.Runtime;

/// <summary>
/// One definition serving many matters: the task's department, the child workflows and the statutory limit come
/// from the instance data; the host's listener sees every task and end inside the step's transaction.
/// </summary>
public sealed class DataDrivenNodesTests
{
    private const string Review = """
        { "name": "review", "version": 1, "statutoryWorkingDaysFrom": "matter.limit",
          "nodes": [
            { "id": "start", "kind": "start", "next": "check" },
            { "id": "check", "kind": "userTask", "departmentFrom": "matter.department", "roles": ["reviewer"],
              "actions": { "approve": "approved", "correct": "fix" } },
            { "id": "fix", "kind": "userTask", "department": "applicant", "roles": ["applicant"], "pausesClock": true,
              "status": "correction-requested", "actions": { "resubmit": "check" } },
            { "id": "approved", "kind": "end", "outcome": "approved" } ] }
        """;

    private const string Instant = """
        { "name": "instant", "version": 1,
          "nodes": [ { "id": "start", "kind": "start", "next": "done" }, { "id": "done", "kind": "end", "outcome": "registered" } ] }
        """;

    private const string Bundle = """
        { "name": "mixed-bundle", "version": 1,
          "nodes": [
            { "id": "start", "kind": "start", "next": "matters" },
            { "id": "matters", "kind": "subWorkflow", "forEach": "matters", "workflowFrom": "workflow", "next": "done" },
            { "id": "done", "kind": "end", "outcome": "completed" } ] }
        """;

    [Fact]
    public async Task The_department_and_the_statutory_limit_come_from_the_data()
    {
        await using var f = await WorkflowFixture.CreateAsync(Provider.Sqlite, Review);
        var data = JsonNode.Parse("""{ "matter": { "department": "tax", "limit": 5 } }""")!.AsObject();
        var started = await f.Runtime.StartAsync("review", "A-1", data, TestDefinitions.Applicant);

        var task = Assert.Single(await f.Runtime.GetTasksAsync("tax", ["reviewer"]));
        Assert.Equal("tax", task.Department);
        var view = await f.Runtime.GetInstanceViewAsync(started.InstanceId);
        // Tuesday 2 September 2025 + 5 working days ends at midnight after Tuesday 9 September.
        Assert.Equal(new DateTimeOffset(2025, 9, 10, 0, 0, 0, TimeSpan.FromHours(8)), view.StatutoryDueAt);

        await Assert.ThrowsAsync<WorkflowTaskForbiddenException>(() =>
            f.Runtime.CompleteTaskAsync(new(task.Id, TestDefinitions.Market, "approve")));
        var tax = new WorkflowActor("tax-1", "tax", ["reviewer"]);
        Assert.True((await f.Runtime.CompleteTaskAsync(new(task.Id, tax, "approve"))).Applied);
        Assert.Equal("approved", (await f.Runtime.GetInstanceViewAsync(started.InstanceId)).Outcome);
    }

    [Fact]
    public async Task A_department_the_data_does_not_give_parks_the_token_as_an_incident()
    {
        await using var f = await WorkflowFixture.CreateAsync(Provider.Sqlite, Review);
        var started = await f.Runtime.StartAsync("review", "A-2", JsonNode.Parse("""{ "matter": { "limit": 5 } }""")!.AsObject(), TestDefinitions.Applicant);

        var view = await f.Runtime.GetInstanceViewAsync(started.InstanceId);
        Assert.Equal(WorkflowInstanceStatus.Faulted, view.Status);
        Assert.Contains("departmentFrom", Assert.Single(view.Incidents).Error, StringComparison.Ordinal);

        var retried = await f.Runtime.RetryIncidentsAsync(
            started.InstanceId, JsonNode.Parse("""{ "matter": { "department": "tax", "limit": 5 } }""")!.AsObject(), TestDefinitions.Admin);
        Assert.True(retried.Applied);
        Assert.Single(await f.Runtime.GetTasksAsync("tax", ["reviewer"]));
    }

    [Fact]
    public async Task Each_child_runs_the_workflow_its_item_names()
    {
        await using var f = await WorkflowFixture.CreateAsync(Provider.Sqlite, Review, Instant, Bundle);
        var data = JsonNode.Parse("""
            { "matters": [
                { "workflow": "review", "matter": { "department": "tax", "limit": 3 } },
                { "workflow": "instant" },
                { "workflow": "review", "matter": { "department": "market", "limit": 3 } } ] }
            """)!.AsObject();
        var started = await f.Runtime.StartAsync("mixed-bundle", "B-1", data, TestDefinitions.Applicant);

        Assert.Single(await f.Runtime.GetTasksAsync("tax", ["reviewer"]));
        var market = Assert.Single(await f.Runtime.GetTasksAsync("market", ["reviewer"]));
        Assert.Equal("B-1/matters/3", market.CorrelationId);
        var journal = await f.Runtime.GetJournalAsync(started.InstanceId);
        var workflows = journal.Single(e => e.Action == "children.started").Delta!["workflows"]!.AsArray();
        Assert.Equal(["review@1", "instant@1", "review@1"], workflows.Select(w => w!.GetValue<string>()));
        Assert.Single(journal, e => e.Action == "child.ended");
    }

    [Fact]
    public async Task An_unknown_child_workflow_parks_the_parent_token_and_starts_no_child()
    {
        await using var f = await WorkflowFixture.CreateAsync(Provider.Sqlite, Review, Bundle);
        var data = JsonNode.Parse("""{ "matters": [ { "workflow": "review", "matter": { "department": "tax" } }, { "workflow": "nope" } ] }""")!.AsObject();
        var started = await f.Runtime.StartAsync("mixed-bundle", "B-2", data, TestDefinitions.Applicant);

        var view = await f.Runtime.GetInstanceViewAsync(started.InstanceId);
        Assert.Contains("'nope'", Assert.Single(view.Incidents).Error, StringComparison.Ordinal);
        Assert.Empty(await f.Runtime.GetTasksAsync("tax", ["reviewer"]));
    }

    [Fact]
    public async Task The_listener_sees_tasks_open_and_close_and_the_instance_end_with_the_statutory_clock()
    {
        await using var database = await TestDatabase.CreateAsync(Provider.Sqlite);
        var time = new FakeTimeProvider(WorkflowFixture.Start);
        var listener = new RecordingListener();
        await using var host = new WorkflowHost(database, time, listener: listener);
        await host.Runtime.PublishDefinitionAsync(Review);
        var started = await host.Runtime.StartAsync(
            "review", "A-3", JsonNode.Parse("""{ "matter": { "department": "tax", "limit": 5 } }""")!.AsObject(), TestDefinitions.Applicant);
        var tax = new WorkflowActor("tax-1", "tax", ["reviewer"]);

        var check = Assert.Single(listener.Opened);
        Assert.Equal(("check", "tax", "A-3", "review"), (check.NodeId, check.Department, check.CorrelationId, check.DefinitionName));
        Assert.Equal(["approve", "correct"], check.Actions);
        var due = check.StatutoryDueAt;
        Assert.NotNull(due);

        await host.Runtime.CompleteTaskAsync(new(check.TaskId, tax, "correct", new JsonObject { ["materials"] = new JsonArray("licence") }));
        var closed = Assert.Single(listener.Closed);
        Assert.Equal(("correct", true), (closed.Action, closed.Completed));
        Assert.Equal("licence", closed.Result!["materials"]![0]!.GetValue<string>());
        var fix = listener.Opened[1];
        Assert.True(fix.PausesClock);
        Assert.Null(check.Status);                              // a step that declares no status
        Assert.Equal("correction-requested", fix.Status);       // the status the definition declares for the step
        Assert.Null(fix.StatutoryDueAt);

        time.Advance(TimeSpan.FromDays(7));
        await host.Runtime.CompleteTaskAsync(new(fix.TaskId, TestDefinitions.Applicant, "resubmit"));
        Assert.True(listener.Closed[1].StatutoryDueAt > due);
        await host.Runtime.CompleteTaskAsync(new(listener.Opened[2].TaskId, tax, "approve"));

        var ended = Assert.Single(listener.Ended);
        Assert.Equal((started.InstanceId, "approved", WorkflowInstanceStatus.Completed), (ended.InstanceId, ended.Outcome, ended.Status));
        Assert.Equal("approve", ended.Data["check"]!["action"]!.GetValue<string>());
        var journal = await host.Runtime.GetJournalAsync(started.InstanceId);
        Assert.Equal(["correct", "resubmit", "approve"],
            journal.Select(e => JournalActions.IsTaskCompleted(e.Action, out var action) ? action : null).OfType<string>());
        Assert.Contains(journal, e => e.Action == JournalActions.ClockPaused);
        Assert.Equal(JournalActions.End, journal[^1].Action);
    }

    private sealed class RecordingListener : IWorkflowListener
    {
        public List<WorkflowTaskOpened> Opened { get; } = [];
        public List<WorkflowTaskClosed> Closed { get; } = [];
        public List<WorkflowInstanceEnded> Ended { get; } = [];

        public Task TaskOpenedAsync(DbContext db, WorkflowTaskOpened task, CancellationToken cancellationToken)
        {
            Opened.Add(task);
            return Task.CompletedTask;
        }

        public Task TaskClosedAsync(DbContext db, WorkflowTaskClosed task, CancellationToken cancellationToken)
        {
            Closed.Add(task);
            return Task.CompletedTask;
        }

        public Task InstanceEndedAsync(DbContext db, WorkflowInstanceEnded instance, CancellationToken cancellationToken)
        {
            Ended.Add(instance);
            return Task.CompletedTask;
        }
    }
}
