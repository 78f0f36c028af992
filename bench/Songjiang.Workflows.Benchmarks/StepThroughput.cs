using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Songjiang.Workflows;

namespace Songjiang.Workflows.Benchmarks;

/// <summary>
/// Completed user-task steps per second for accept → two parallel reviews → decision → end, against the same
/// number of hand-written "update case row + insert journal row + insert outbox row" transactions.
/// </summary>
internal static class StepThroughput
{
    private const string Definition = """
    {
      "name": "bench-licence", "version": 1, "statutoryWorkingDays": 20,
      "nodes": [
        { "id": "start", "kind": "start", "next": "accept" },
        { "id": "accept", "kind": "userTask", "department": "service-centre", "roles": ["clerk"], "dueWorkingDays": 1,
          "actions": { "accept": "reviews", "reject": "rejected" } },
        { "id": "reviews", "kind": "fork", "branches": ["market", "fire"], "join": "reviewed" },
        { "id": "market", "kind": "userTask", "department": "market", "roles": ["reviewer"], "dueWorkingDays": 5,
          "actions": { "approve": "reviewed", "reject": "reviewed" } },
        { "id": "fire", "kind": "userTask", "department": "fire", "roles": ["reviewer"], "dueWorkingDays": 5,
          "actions": { "approve": "reviewed", "reject": "reviewed" } },
        { "id": "reviewed", "kind": "join", "next": "decide" },
        { "id": "decide", "kind": "decision",
          "cases": [ { "when": "market.action == 'approve' and fire.action == 'approve'", "to": "approved" } ],
          "otherwise": "rejected" },
        { "id": "approved", "kind": "end", "outcome": "approved" },
        { "id": "rejected", "kind": "end", "outcome": "rejected" }
      ]
    }
    """;

    private static readonly WorkflowActor Clerk = new("clerk", "service-centre", ["clerk"]);
    private static readonly WorkflowActor Market = new("market", "market", ["reviewer"]);
    private static readonly WorkflowActor Fire = new("fire", "fire", ["reviewer"]);

    /// <summary>Alternates baseline and runtime rounds so that both see the same load from the rest of the machine.</summary>
    public static async Task<IReadOnlyList<(double Baseline, double Runtime)>> RunAsync(string connectionString, int cases, int workers, int rounds)
    {
        await using var host = Database.Host(connectionString, new Dictionary<string, string?> { ["Workflows:RunTimerWorker"] = "false" });
        await using (var scope = host.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<BenchDbContext>().Database.EnsureCreatedAsync();
        await Database.ExecuteAsync(connectionString, """
            CREATE TABLE bench_cases (id uuid PRIMARY KEY, state text NOT NULL, version int NOT NULL);
            CREATE TABLE bench_journal (id bigserial PRIMARY KEY, case_id uuid NOT NULL, action text NOT NULL, data jsonb, at timestamptz NOT NULL);
            CREATE TABLE bench_baseline_outbox (id bigserial PRIMARY KEY, topic text NOT NULL, payload jsonb NOT NULL, correlation_id text NOT NULL);
            """);
        var runtime = host.GetRequiredService<IWorkflowRuntime>();
        await runtime.PublishDefinitionAsync(Definition);

        // Warm both paths (tiered JIT, pools, prepared statements, caches) with an unmeasured half round each.
        Console.WriteLine("warm-up:");
        await BaselineAsync(connectionString, cases / 2, workers);
        await RuntimeAsync(connectionString, runtime, cases / 2, workers);
        var results = new List<(double Baseline, double Runtime)>();
        for (var round = 0; round < rounds; round++)
            results.Add((await BaselineAsync(connectionString, cases, workers), await RuntimeAsync(connectionString, runtime, cases, workers)));
        return results;
    }

    private static async Task<double> BaselineAsync(string connectionString, int cases, int workers)
    {
        var ids = Enumerable.Range(0, cases).Select(_ => Guid.CreateVersion7()).ToList();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand("INSERT INTO bench_cases SELECT unnest(@ids), 'accept', 1", connection);
            insert.Parameters.AddWithValue("ids", ids.ToArray());
            await insert.ExecuteNonQueryAsync();
        }

        return await TimedAsync(connectionString, ids, workers, 3, async id =>
        {
            foreach (var state in new[] { "accepted", "reviewed-market", "reviewed-fire" })
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                await using var tx = await connection.BeginTransactionAsync();
                await Execute(connection, "UPDATE bench_cases SET state = @s, version = version + 1 WHERE id = @id", id, state);
                await Execute(connection, "INSERT INTO bench_journal (case_id, action, data, at) VALUES (@id, @s, '{\"opinion\":\"ok\"}', now())", id, state);
                await Execute(connection, "INSERT INTO bench_baseline_outbox (topic, payload, correlation_id) VALUES (@s, '{\"case\":1}', @id::text)", id, state);
                await tx.CommitAsync();
            }
        });
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, Guid id, string state)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("s", state);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<double> RuntimeAsync(string connectionString, IWorkflowRuntime runtime, int cases, int workers)
    {
        var started = new ConcurrentBag<Guid>();
        await Parallel.ForEachAsync(Enumerable.Range(0, cases), new ParallelOptions { MaxDegreeOfParallelism = workers }, async (i, ct) =>
            started.Add((await runtime.StartAsync("bench-licence", $"B-{Guid.NewGuid():N}", new() { ["n"] = i }, Clerk, ct)).OpenTaskIds.Single()));

        return await TimedAsync(connectionString, started.ToList(), workers, 3, async acceptTask =>
        {
            var reviews = await runtime.CompleteTaskAsync(new(acceptTask, Clerk, "accept"));
            var market = await runtime.CompleteTaskAsync(new(reviews.OpenTaskIds[0], Reviewer(0), "approve"));
            await runtime.CompleteTaskAsync(new(reviews.OpenTaskIds[1], Reviewer(1), "approve"));
            if (!market.Applied) throw new InvalidOperationException("a review step was not applied");
        });
    }

    // The fork opens the market review first, then the fire review.
    private static WorkflowActor Reviewer(int index) => index == 0 ? Market : Fire;

    private static async Task<double> TimedAsync(
        string connectionString, IReadOnlyList<Guid> items, int workers, int stepsPerItem, Func<Guid, Task> work)
    {
        var server = await ServerCpu.ReadAsync(connectionString);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = workers }, async (item, _) => await work(item));
        var elapsed = clock.Elapsed;
        var driver = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var serverUsed = await ServerCpu.ReadAsync(connectionString) - server;
        var steps = items.Count * stepsPerItem;
        // Driver and server share the two cores: CPU per step says which side a path loads, whatever else runs.
        Console.WriteLine($"  {steps} steps, CPU per step: driver {driver.TotalMilliseconds * 1000 / steps:F0} µs, "
            + $"PostgreSQL backends {serverUsed?.TotalMilliseconds * 1000 / steps:F0} µs");
        return steps / elapsed.TotalSeconds;
    }
}
