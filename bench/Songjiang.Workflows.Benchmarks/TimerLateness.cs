using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Songjiang.Workflows;

namespace Songjiang.Workflows.Benchmarks;

/// <summary>
/// How late timers fire while a large number of other timers are pending: two replicas run the real timer
/// worker; lateness is fired_at − due_at as stored by the runtime.
/// </summary>
internal static class TimerLateness
{
    private const string Definition = """
    {
      "name": "bench-timer", "version": 1,
      "nodes": [
        { "id": "start", "kind": "start", "next": "wait" },
        { "id": "wait", "kind": "timer", "after": "PT3S", "next": "end" },
        { "id": "end", "kind": "end", "outcome": "done" }
      ]
    }
    """;

    private const string PollInterval = "00:00:00.200";
    private const int StartsPerSecond = 100;

    public static async Task<(double P50, double P99, double Max)> RunAsync(string connectionString, int pending, int firing)
    {
        // Pending timers due in a day: they stay in the index the claim query scans but never fall due here.
        var farFuture = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds();
        await Database.ExecuteAsync(connectionString, $"""
            INSERT INTO wf_timers (id, instance_id, token_id, node_id, due_at, status, claimed_until)
            SELECT gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 'wait', {farFuture} + g, 0, 0
            FROM generate_series(1, {pending}) g;
            ANALYZE wf_timers;
            """);

        var replicas = new List<IHost> { Replica(connectionString), Replica(connectionString) };
        foreach (var replica in replicas) await replica.StartAsync();
        try
        {
            var runtime = replicas[0].Services.GetRequiredService<IWorkflowRuntime>();
            await runtime.PublishDefinitionAsync(Definition);
            // Timers fall due at a steady 100 per second, like a busy district's reminders, not all at once.
            var pace = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, firing), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
            {
                var startAt = TimeSpan.FromMilliseconds(i * 1000.0 / StartsPerSecond);
                if (startAt > pace.Elapsed) await Task.Delay(startAt - pace.Elapsed, ct);
                await runtime.StartAsync("bench-timer", $"T-{i}", null, WorkflowActor.System, ct);
            });

            var deadline = Stopwatch.StartNew();
            while (await CountFiredAsync(connectionString) < firing && deadline.Elapsed < TimeSpan.FromMinutes(3))
                await Task.Delay(500);
        }
        finally
        {
            foreach (var replica in replicas) await replica.StopAsync();
        }

        var lateness = await LatenessAsync(connectionString);
        if (lateness.Count < firing) throw new InvalidOperationException($"only {lateness.Count} of {firing} timers fired");
        return (Percentile(lateness, 0.50), Percentile(lateness, 0.99), lateness[^1]);
    }

    private static IHost Replica(string connectionString)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Workflows:PollInterval"] = PollInterval,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Services.AddDbContextPool<BenchDbContext>(o => o.UseNpgsql(connectionString));
        builder.Services.AddScoped<IWorkflowEventPublisher, OutboxPublisher>();
        builder.AddWorkflows<BenchDbContext>();
        return builder.Build();
    }

    private static async Task<long> CountFiredAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM wf_timers WHERE status = 1", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<List<double>> LatenessAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT fired_at - due_at FROM wf_timers WHERE status = 1 ORDER BY 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<double>();
        while (await reader.ReadAsync()) values.Add(reader.GetInt64(0));
        return values;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Ceiling(p * sorted.Count) - 1];
}
