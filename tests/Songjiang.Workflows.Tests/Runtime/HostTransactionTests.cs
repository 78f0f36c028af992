using Microsoft.EntityFrameworkCore;
using Songjiang.Workflows.Tests.Infrastructure;
using static Songjiang.Workflows.Tests.Infrastructure.TestDefinitions;

namespace Songjiang.Workflows.Tests.Runtime;

/// <summary>The host updates its case row and moves the workflow in one transaction it owns.</summary>
public sealed class HostTransactionTests
{
    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_command_joins_the_host_transaction_and_rolls_back_or_commits_with_the_case_row(Provider provider)
    {
        await using var f = await WorkflowFixture.CreateAsync(provider, Licence());
        var started = await f.Runtime.StartAsync("licence", "SJ-H", new() { ["caseId"] = "SJ-H", ["investment"] = 1 }, Clerk);
        var accept = started.OpenTaskIds.Single();
        await using (var seed = f.Database.CreateContext())
        {
            seed.Cases.Add(new CaseRow { Id = "SJ-H", State = "submitted" });
            await seed.SaveChangesAsync();
        }

        var journalBefore = (await f.Runtime.GetJournalAsync(started.InstanceId)).Count;
        await using (var db = f.Database.CreateContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            (await db.Cases.SingleAsync()).State = "accepted";
            await db.SaveChangesAsync();
            var result = await f.Runtime.Using(db).CompleteTaskAsync(new(accept, Clerk, "accept"));
            Assert.True(result.Applied);
            Assert.Equal(2, result.OpenTaskIds.Count);
            await transaction.RollbackAsync();
        }

        Assert.Equal("submitted", await CaseStateAsync(f));
        Assert.Equal(journalBefore, (await f.Runtime.GetJournalAsync(started.InstanceId)).Count);
        Assert.Equal([accept], (await f.Runtime.GetInstanceViewAsync(started.InstanceId)).Tokens.Select(t => t.Id));

        await using (var db = f.Database.CreateContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            (await db.Cases.SingleAsync()).State = "accepted";
            await db.SaveChangesAsync();
            Assert.True((await f.Runtime.Using(db).CompleteTaskAsync(new(accept, Clerk, "accept"))).Applied);
            await transaction.CommitAsync();
        }

        Assert.Equal("accepted", await CaseStateAsync(f));
        var view = await f.Runtime.GetInstanceViewAsync(started.InstanceId);
        Assert.Equal(["fireReview", "marketReview"], view.Tokens.Select(t => t.NodeId).Order());
        Assert.False((await f.Runtime.CompleteTaskAsync(new(accept, Clerk, "accept"))).Applied);
    }

    [Fact]
    public async Task Without_a_host_transaction_the_command_commits_the_host_pending_changes_with_its_own()
    {
        await using var f = await WorkflowFixture.CreateAsync(Provider.Sqlite, Licence());
        await using var db = f.Database.CreateContext();
        db.Cases.Add(new CaseRow { Id = "SJ-N", State = "submitted" });

        var started = await f.Runtime.Using(db).StartAsync("licence", "SJ-N", new() { ["caseId"] = "SJ-N" }, Clerk);

        Assert.Null(db.Database.CurrentTransaction);
        Assert.Equal("submitted", await CaseStateAsync(f));
        Assert.Single((await f.Runtime.GetInstanceViewAsync(started.InstanceId)).Tokens);
    }

    private static async Task<string> CaseStateAsync(WorkflowFixture f)
    {
        await using var db = f.Database.CreateContext();
        return (await db.Cases.AsNoTracking().SingleAsync()).State;
    }
}
