using Microsoft.EntityFrameworkCore;
using Songjiang.Workflows.Tests.Infrastructure;
using static Songjiang.Workflows.Tests.Infrastructure.TestDefinitions;

namespace Songjiang.Workflows.Tests.Runtime;

/// <summary>
/// Kills the host at every step of a full case in turn (a throw inside the transaction is what a killed process
/// leaves behind: nothing committed), restarts on the same database, retries the command and finishes the case.
/// </summary>
public sealed class DurabilityTests
{
    private static readonly Func<WorkflowFixture, Task>[] Scenario =
    [
        f => f.Runtime.StartAsync("licence", "SJ-D", new() { ["caseId"] = "SJ-D", ["investment"] = 10000 }, Clerk),
        f => Complete(f, Clerk, "accept", "correct"),
        f => Complete(f, Applicant, "correction", "resubmit"),
        f => Complete(f, Clerk, "accept", "accept"),
        async f =>
        {
            // A killed host's claim on the timer holds for the lease (one minute); then any host fires it.
            f.Time.SetUtcNow(WorkflowFixture.Start.AddDays(2));
            for (var attempt = 0; attempt < 3 && await f.Runtime.FireDueTimersAsync() == 0; attempt++)
                f.Time.Advance(TimeSpan.FromMinutes(1));
        },
        f => Complete(f, Market, "marketReview", "approve"),
        f => Complete(f, Fire, "fireReview", "approve"),
    ];

    [Fact]
    public async Task A_host_killed_between_any_two_steps_resumes_and_completes_the_case_exactly_once()
    {
        var baseline = await RunAsync(crashAt: 0);
        Assert.Equal("approved", baseline.Outcome);
        Assert.True(baseline.Steps > 15, $"only {baseline.Steps} steps observed");

        for (var crashAt = 1; crashAt <= baseline.Steps; crashAt++)
        {
            var run = await RunAsync(crashAt);
            Assert.True(run.Crashed, $"no crash at step {crashAt}");
            Assert.Equal(baseline with { Steps = run.Steps, Crashed = true }, run);
        }
    }

    private static async Task<Run> RunAsync(int crashAt)
    {
        await using var f = await WorkflowFixture.CreateAsync(Provider.Sqlite, Licence());
        var crash = new CrashAtStep(crashAt);
        await f.RestartAsync(crash);
        var crashed = false;
        foreach (var command in Scenario)
        {
            try
            {
                await command(f);
            }
            catch (SimulatedCrashException)
            {
                crashed = true;
                await f.RestartAsync();
                await command(f);
            }
        }

        await using var db = f.Database.CreateContext();
        var instance = await db.Set<Persistence.InstanceRecord>().SingleAsync(i => i.CorrelationId == "SJ-D");
        var journal = await f.Runtime.GetJournalAsync(instance.Id);
        var topics = await db.Outbox.OrderBy(o => o.Id).Select(o => o.Topic).ToListAsync();
        return new Run(instance.Outcome, string.Join(",", journal.Select(e => e.Action)), string.Join(",", topics), crash.Steps, crashed);
    }

    private static async Task Complete(WorkflowFixture f, WorkflowActor actor, string nodeId, string action)
    {
        var task = (await f.Runtime.GetTasksAsync(actor.Department, actor.Roles)).Single(t => t.NodeId == nodeId);
        var result = await f.Runtime.CompleteTaskAsync(new(task.Id, actor, action));
        Assert.True(result.Applied);
    }

    private sealed record Run(string? Outcome, string Journal, string Outbox, int Steps, bool Crashed);
}
