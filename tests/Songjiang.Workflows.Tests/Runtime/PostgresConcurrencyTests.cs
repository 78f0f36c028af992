using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Songjiang.Workflows.Persistence;
using Songjiang.Workflows.Tests.Infrastructure;
using static Songjiang.Workflows.Tests.Infrastructure.TestDefinitions;

namespace Songjiang.Workflows.Tests.Runtime;

/// <summary>Several runtime hosts race over the same instances and timers on a real PostgreSQL server.</summary>
public sealed class PostgresConcurrencyTests
{
    private const int Instances = 24;
    private const int Hosts = 3;

    private const string Definition = """
    {
      "name": "race", "version": 1,
      "nodes": [
        { "id": "start", "kind": "start", "next": "fork" },
        { "id": "fork", "kind": "fork", "branches": ["a", "b", "c"], "join": "join" },
        { "id": "a", "kind": "userTask", "department": "market", "roles": ["reviewer"], "actions": { "done": "join" } },
        { "id": "b", "kind": "userTask", "department": "fire", "roles": ["reviewer"], "actions": { "done": "join" } },
        { "id": "c", "kind": "userTask", "department": "service-centre", "roles": ["clerk"], "actions": { "done": "join" } },
        { "id": "join", "kind": "join", "next": "notify" },
        { "id": "notify", "kind": "serviceTask", "topic": "race.joined", "payload": { "n": "n" }, "next": "wait" },
        { "id": "wait", "kind": "timer", "after": "PT1H", "next": "end" },
        { "id": "end", "kind": "end", "outcome": "done" }
      ]
    }
    """;

    [Fact]
    public async Task Hosts_in_parallel_join_each_instance_once_fire_each_timer_once_and_lose_no_update()
    {
        await using var database = await TestDatabase.CreateAsync(Provider.Postgres);
        var time = new FakeTimeProvider(WorkflowFixture.Start);
        var hosts = Enumerable.Range(0, Hosts).Select(_ => new WorkflowHost(database, time)).ToList();
        try
        {
            await hosts[0].Runtime.PublishDefinitionAsync(Definition);
            var tasks = new List<(Guid Id, WorkflowActor Actor)>();
            for (var i = 0; i < Instances; i++)
            {
                await hosts[i % Hosts].Runtime.StartAsync("race", $"R-{i}", new() { ["n"] = i }, Clerk);
            }

            foreach (var actor in new[] { Market, Fire, Clerk })
                tasks.AddRange((await hosts[0].Runtime.GetTasksAsync(actor.Department, actor.Roles)).Select(t => (t.Id, actor)));
            Assert.Equal(Instances * 3, tasks.Count);

            // Every host tries every task in its own order: each task is applied once, the rest are ignored.
            var applied = await Task.WhenAll(hosts.Select((host, h) => Task.Run(async () =>
            {
                var count = 0;
                foreach (var (id, actor) in tasks.OrderBy(t => HashCode.Combine(t.Id, h)))
                {
                    if ((await host.Runtime.CompleteTaskAsync(new(id, actor, "done"))).Applied) count++;
                }

                return count;
            })));
            Assert.Equal(Instances * 3, applied.Sum());

            time.Advance(TimeSpan.FromHours(2));
            var fired = await Task.WhenAll(hosts.Select(host => Task.Run(async () =>
            {
                var count = 0;
                for (var round = 0; round < 20; round++) count += await host.Runtime.FireDueTimersAsync();
                return count;
            })));
            Assert.Equal(Instances, fired.Sum());

            await using var db = database.CreateContext();
            var instances = await db.Set<InstanceRecord>().ToListAsync();
            Assert.All(instances, i => Assert.Equal("done", i.Outcome));
            foreach (var instance in instances)
            {
                var journal = await hosts[0].Runtime.GetJournalAsync(instance.Id);
                Assert.Single(journal, j => j.Action == "join");
                Assert.Single(journal, j => j.Action == "timer.fired");
                Assert.Equal(3, journal.Count(j => j.Action == "task.done"));
                Assert.Equal(Enumerable.Range(1, journal.Count).Select(n => (long)n), journal.Select(j => j.Sequence));
            }

            Assert.All(instances, i => Assert.All(new[] { "a", "b", "c" }, key => Assert.Contains($"\"{key}\":", i.Data)));
            Assert.Equal(Instances, await db.Outbox.CountAsync(o => o.Topic == "race.joined"));
            Assert.Equal(Instances, await db.Set<TimerRecord>().CountAsync(t => t.Status == TimerStatus.Fired));
        }
        finally
        {
            foreach (var host in hosts) await host.DisposeAsync();
        }
    }
}
