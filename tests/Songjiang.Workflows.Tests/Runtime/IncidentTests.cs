using Songjiang.Workflows.Tests.Infrastructure;
using static Songjiang.Workflows.Tests.Infrastructure.TestDefinitions;

namespace Songjiang.Workflows.Tests.Runtime;

/// <summary>A run-time expression error parks the token as an incident an administrator sees and retries.</summary>
public sealed class IncidentTests
{
    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_type_error_in_a_decision_faults_the_instance_until_the_data_is_corrected_and_retried(Provider provider)
    {
        await using var f = await WorkflowFixture.CreateAsync(provider, Scored);
        var started = await f.Runtime.StartAsync("scored", "SJ-E", null, Clerk);

        var completed = await f.Runtime.CompleteTaskAsync(new(started.OpenTaskIds.Single(), Market, "submit", new() { ["score"] = "八十" }));

        Assert.True(completed.Applied);
        Assert.Empty(completed.OpenTaskIds);
        var faulted = await f.Runtime.GetInstanceViewAsync(started.InstanceId);
        Assert.Equal(WorkflowInstanceStatus.Faulted, faulted.Status);
        var incident = Assert.Single(faulted.Incidents);
        Assert.Equal("decide", incident.NodeId);
        Assert.Contains("node 'decide'", incident.Error);
        Assert.Contains("cannot compare", incident.Error);
        Assert.Equal("八十", faulted.Data["review"]!["score"]!.GetValue<string>());
        var journal = await f.Runtime.GetJournalAsync(started.InstanceId);
        Assert.Equal(["task.submit", "incident"], journal.Select(e => e.Action).TakeLast(2));

        // Retrying without correcting the data fails the same way and stays visible.
        Assert.True((await f.Runtime.RetryIncidentsAsync(started.InstanceId, null, Admin)).Applied);
        Assert.Equal(WorkflowInstanceStatus.Faulted, (await f.Runtime.GetInstanceViewAsync(started.InstanceId)).Status);

        var corrections = new System.Text.Json.Nodes.JsonObject { ["review"] = new System.Text.Json.Nodes.JsonObject { ["score"] = 80, ["action"] = "submit" } };
        Assert.True((await f.Runtime.RetryIncidentsAsync(started.InstanceId, corrections, Admin)).Applied);

        var fixedView = await f.Runtime.GetInstanceViewAsync(started.InstanceId);
        Assert.Equal(WorkflowInstanceStatus.Completed, fixedView.Status);
        Assert.Equal("passed", fixedView.Outcome);
        Assert.Empty(fixedView.Incidents);
        journal = await f.Runtime.GetJournalAsync(started.InstanceId);
        Assert.Equal(2, journal.Count(e => e.Action == "incident"));
        var corrected = journal.Single(e => e.Action == "data.corrected");
        Assert.Equal(Admin.Id, corrected.Actor);
        Assert.Equal(["incident.retried", "decision", "end"], journal.SkipWhile(e => e != corrected).Skip(1).Select(e => e.Action));
        Assert.False((await f.Runtime.RetryIncidentsAsync(started.InstanceId, null, Admin)).Applied);
    }

    [Fact]
    public async Task A_declared_error_path_takes_the_token_on_instead_of_faulting()
    {
        await using var f = await WorkflowFixture.CreateAsync(Provider.Sqlite, ScoredWithErrorPath);
        var started = await f.Runtime.StartAsync("scored-manual", "SJ-M", null, Clerk);

        var completed = await f.Runtime.CompleteTaskAsync(new(started.OpenTaskIds.Single(), Market, "submit", new() { ["score"] = "八十" }));

        var view = await f.Runtime.GetInstanceViewAsync(started.InstanceId);
        Assert.Equal(WorkflowInstanceStatus.Running, view.Status);
        Assert.Empty(view.Incidents);
        Assert.Equal(["manual"], view.Tokens.Select(t => t.NodeId));
        Assert.Equal(view.Tokens.Select(t => t.Id), completed.OpenTaskIds);
        var error = (await f.Runtime.GetJournalAsync(started.InstanceId)).Single(e => e.Action == "error");
        Assert.Equal("manual", error.Delta!["to"]!.GetValue<string>());
        Assert.Contains("cannot compare", error.Delta!["error"]!.GetValue<string>());
    }
}
