using Songjiang.Workflows.Tests.Infrastructure;
using static Songjiang.Workflows.Tests.Infrastructure.ApprovalDefinitions;
using static Songjiang.Workflows.Tests.Infrastructure.TestDefinitions;

namespace Songjiang.Workflows.Tests.Runtime;

/// <summary>Moving running instances to a newer version, and the administrator's reads.</summary>
public sealed class MigrationTests
{
    private static readonly Dictionary<string, string> ReviewIsNowCheck = new() { ["review"] = "check" };

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_dry_run_lists_each_instance_and_the_move_keeps_the_clock_and_completes_on_the_new_version(Provider provider)
    {
        await using var f = await WorkflowFixture.CreateAsync(provider, MovingV1);
        var atAccept = await f.Runtime.StartAsync("moving", "M-1", null, Clerk);
        var inBranches = await f.Runtime.StartAsync("moving", "M-2", null, Clerk);
        await f.Runtime.CompleteTaskAsync(new(inBranches.OpenTaskIds.Single(), Clerk, "accept"));
        var atReview = await f.Runtime.StartAsync("moving", "M-3", null, Clerk);
        var branches = await f.Runtime.CompleteTaskAsync(new(atReview.OpenTaskIds.Single(), Clerk, "accept"));
        await f.Runtime.CompleteTaskAsync(new(branches.OpenTaskIds[0], Market, "done"));
        await f.Runtime.CompleteTaskAsync(new(branches.OpenTaskIds[1], Fire, "done"));
        var due = (await f.Runtime.GetInstanceViewAsync(atReview.InstanceId)).StatutoryDueAt;
        f.Time.Advance(TimeSpan.FromDays(2));
        await f.Runtime.PublishDefinitionAsync(MovingV2);

        // Without a mapping, the review has nowhere to go; a mapping to a missing node is bad input.
        var unmapped = await f.Runtime.MigrateAsync(new("moving", 2, new Dictionary<string, string>(), DryRun: true), Admin);
        Assert.Contains("review", unmapped.Single(r => r.CorrelationId == "M-3").Reason, StringComparison.Ordinal);
        await Assert.ThrowsAsync<global::Songjiang.Workflows.Definitions.WorkflowDefinitionException>(() =>
            f.Runtime.MigrateAsync(new("moving", 2, new Dictionary<string, string> { ["review"] = "nowhere" }, DryRun: true), Admin));

        var plan = await f.Runtime.MigrateAsync(new("moving", 2, ReviewIsNowCheck, DryRun: true), Admin);
        Assert.Equal(
            [("M-1", WorkflowMigrationOutcome.Movable), ("M-2", WorkflowMigrationOutcome.Refused), ("M-3", WorkflowMigrationOutcome.Movable)],
            plan.Select(r => (r.CorrelationId, r.Outcome)));
        Assert.Contains("并行", plan[1].Reason, StringComparison.Ordinal);
        Assert.Equal(("review", "check"), (plan[2].Moves.Single().From, plan[2].Moves.Single().To));
        Assert.Equal(1, (await f.Runtime.GetInstanceViewAsync(atReview.InstanceId)).DefinitionVersion);

        var moved = await f.Runtime.MigrateAsync(new("moving", 2, ReviewIsNowCheck, DryRun: false), Admin);
        Assert.Equal([WorkflowMigrationOutcome.Moved, WorkflowMigrationOutcome.Refused, WorkflowMigrationOutcome.Moved], moved.Select(r => r.Outcome));
        Assert.Equal(1, (await f.Runtime.GetInstanceViewAsync(inBranches.InstanceId)).DefinitionVersion);
        var view = await f.Runtime.GetInstanceViewAsync(atReview.InstanceId);
        Assert.Equal((2, due), (view.DefinitionVersion, view.StatutoryDueAt));
        var check = view.Tokens.Single();
        Assert.Equal("check", check.NodeId);
        Assert.Single(await f.Runtime.GetJournalAsync(atReview.InstanceId), e => e.Action == JournalActions.Migrated && e.Actor == Admin.Id);

        var decide = await f.Runtime.CompleteTaskAsync(new(check.Id, Market, "approve"));
        await f.Runtime.CompleteTaskAsync(new(decide.OpenTaskIds.Single(), MarketApprover, "approve"));
        Assert.Equal("approved-v2", (await f.Runtime.GetInstanceViewAsync(atReview.InstanceId)).Outcome);

        // The instance at acceptance kept its task and goes on under version 2 as well.
        var accept = (await f.Runtime.GetInstanceViewAsync(atAccept.InstanceId)).Tokens.Single();
        Assert.Equal(atAccept.OpenTaskIds.Single(), accept.Id);
        Assert.Empty(await f.Runtime.MigrateAsync(new("moving", 2, ReviewIsNowCheck, DryRun: false, FromVersion: 2), Admin));
    }

    [Fact]
    public async Task Administrators_list_definitions_instances_by_step_and_incidents_and_retry_one()
    {
        await using var f = await WorkflowFixture.CreateAsync(Provider.Sqlite, MovingV1, Scored);
        await f.Runtime.StartAsync("moving", "M-1", null, Clerk);
        await f.Runtime.PublishDefinitionAsync(MovingV2);
        var scored = await f.Runtime.StartAsync("scored", "S-1", null, Clerk);
        await f.Runtime.CompleteTaskAsync(new(scored.OpenTaskIds.Single(), Market, "submit", new() { ["score"] = "八十" }));

        var definitions = await f.Runtime.GetDefinitionsAsync();
        Assert.Equal([("moving", 1, 1), ("moving", 2, 0), ("scored", 1, 1)], definitions.Select(d => (d.Name, d.Version, d.ActiveInstances)));
        var graph = await f.Runtime.GetDefinitionAsync("moving", 2);
        Assert.Contains(graph.Edges, e => e.From == "check" && e.To == "decide" && e.Label == "approve");
        await Assert.ThrowsAsync<WorkflowNotFoundException>(() => f.Runtime.GetDefinitionAsync("moving", 9));

        var atAccept = await f.Runtime.FindInstancesAsync(new("moving", null, "accept", null, null, 0, 10));
        Assert.Equal(("M-1", 1), (atAccept.Items.Single().CorrelationId, atAccept.Total));
        Assert.Equal(0, (await f.Runtime.FindInstancesAsync(new("moving", null, "review", null, null, 0, 10))).Total);

        var incidents = await f.Runtime.FindIncidentsAsync(new(null, 0, 10));
        var incident = Assert.Single(incidents.Items);
        Assert.Equal(("S-1", "decide"), (incident.CorrelationId, incident.NodeId));
        Assert.Contains("cannot compare", incident.Error, StringComparison.Ordinal);
        await f.Runtime.RetryIncidentsAsync(incident.InstanceId, new() { ["review"] = new System.Text.Json.Nodes.JsonObject { ["score"] = 90 } }, Admin);
        Assert.Equal(0, (await f.Runtime.FindIncidentsAsync(new("scored", 0, 10))).Total);
    }
}
