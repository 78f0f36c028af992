using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Songjiang.Workflows.Persistence;
using Songjiang.Workflows.Tests.Infrastructure;
using static Songjiang.Workflows.Tests.Infrastructure.TestDefinitions;

namespace Songjiang.Workflows.Tests.Runtime;

public sealed class SubWorkflowCancellationTests
{
    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Cancelling_the_parent_task_cancels_its_running_children_and_their_tasks(Provider provider)
    {
        await using var f = await WorkflowFixture.CreateAsync(provider, Matter, WithdrawableBundle);
        var data = JsonNode.Parse("""{ "matters": [ { "matter": "设立登记" }, { "matter": "消防验收" } ] }""")!.AsObject();
        var started = await f.Runtime.StartAsync("withdrawable", "YJS-W", data, Applicant);
        var marketTasks = await f.Runtime.GetTasksAsync("market", ["reviewer"]);
        Assert.Equal(2, marketTasks.Count);
        Assert.True((await f.Runtime.CompleteTaskAsync(new(marketTasks[0].Id, Market, "approve"))).Applied);

        var withdraw = (await f.Runtime.GetTasksAsync("applicant", ["applicant"])).Single();
        Assert.True((await f.Runtime.CompleteTaskAsync(new(withdraw.Id, Applicant, "withdraw"))).Applied);

        Assert.Equal("closed", (await f.Runtime.GetInstanceViewAsync(started.InstanceId)).Outcome);
        Assert.Empty(await f.Runtime.GetTasksAsync("market", ["reviewer"]));
        Assert.Empty(await f.Runtime.GetTasksAsync("fire", ["reviewer"]));
        var parentJournal = await f.Runtime.GetJournalAsync(started.InstanceId);
        Assert.Equal(2, parentJournal.Single(e => e.Action == "children.cancelled").Delta!["count"]!.GetValue<int>());

        await using var db = f.Database.CreateContext();
        var children = await db.Set<InstanceRecord>().Where(i => i.ParentInstanceId == started.InstanceId).ToListAsync();
        Assert.Equal(2, children.Count);
        foreach (var child in children)
        {
            var view = await f.Runtime.GetInstanceViewAsync(child.Id);
            Assert.Equal(WorkflowInstanceStatus.Cancelled, view.Status);
            Assert.Empty(view.Tokens);
            Assert.Equal("cancelled", (await f.Runtime.GetJournalAsync(child.Id))[^1].Action);
        }

        var late = await f.Runtime.CompleteTaskAsync(new(marketTasks[1].Id, Market, "approve"));
        Assert.False(late.Applied);
        Assert.DoesNotContain(await f.Runtime.GetJournalAsync(started.InstanceId), e => e.Action is "child.ended" or "child.ignored");
    }
}
