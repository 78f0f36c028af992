using Songjiang.Workflows.Tests.Infrastructure;
using static Songjiang.Workflows.Tests.Infrastructure.TestDefinitions;

namespace Songjiang.Workflows.Tests.Runtime;

/// <summary>A boundary timer with <c>atDeadline</c> fires when the task's own working-day deadline passes, not earlier.</summary>
public sealed class DeadlineBoundaryTests
{
    private const string Definition = """
    {
      "name": "deadline", "version": 1,
      "nodes": [
        { "id": "start", "kind": "start", "next": "review" },
        { "id": "review", "kind": "userTask", "department": "market", "roles": ["reviewer"], "dueWorkingDays": 1,
          "actions": { "approve": "approved" },
          "boundary": [ { "id": "overdue", "workingDays": 1, "atDeadline": true, "action": "escalate", "topic": "task.escalated" } ] },
        { "id": "approved", "kind": "end", "outcome": "approved" }
      ]
    }
    """;

    [Fact]
    public async Task An_escalation_at_the_deadline_waits_for_the_end_of_the_working_day_the_task_is_due()
    {
        await using var f = await WorkflowFixture.CreateAsync(Provider.Sqlite, Definition);
        var china = TimeSpan.FromHours(8);
        // Friday 2025-09-26 09:00: one working day later is the make-up Sunday 09-28, so the task is due at its end.
        f.Time.SetUtcNow(new DateTimeOffset(2025, 9, 26, 9, 0, 0, china));
        await f.Runtime.StartAsync("deadline", "D-1", null, Clerk);
        var task = (await f.Runtime.GetTasksAsync("market", ["reviewer"])).Single();
        Assert.Equal(new DateTimeOffset(2025, 9, 29, 0, 0, 0, china), task.DueAt);

        f.Time.SetUtcNow(new DateTimeOffset(2025, 9, 28, 23, 59, 0, china));
        Assert.Equal(0, await f.Runtime.FireDueTimersAsync());
        f.Time.SetUtcNow(new DateTimeOffset(2025, 9, 29, 0, 0, 1, china));
        Assert.Equal(1, await f.Runtime.FireDueTimersAsync());
        Assert.True((await f.Runtime.GetTasksAsync("market", ["reviewer"])).Single().Escalated);
    }
}
