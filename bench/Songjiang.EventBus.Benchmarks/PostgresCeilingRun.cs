using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Songjiang.EventBus.Benchmarks;

/// <summary>
/// What PostgreSQL alone sustains for the outbox workload on this machine: the same number of concurrent writers,
/// each committing one outbox-sized row in its own transaction (an autocommit INSERT on the outbox table, with its
/// indexes), through plain Npgsql, without EF Core, the relay or the broker. No outbox can publish faster than its
/// rows commit, so this is the ceiling for the "event bus + outbox" path.
/// </summary>
public static class PostgresCeilingRun
{
    public static async Task<RunResult> RunAsync(string postgres, int events, int inFlight, int envelopeBytes)
    {
        var database = $"sj_eventbus_ceiling_{Guid.NewGuid():N}"[..32];
        var connection = new NpgsqlConnectionStringBuilder(postgres) { Database = database }.ConnectionString;
        await using (var db = new BenchDbContext(new DbContextOptionsBuilder<BenchDbContext>().UseNpgsql(connection).Options))
        {
            await db.Database.EnsureCreatedAsync();
        }

        var recorder = new RunRecorder(events);
        var envelope = new string('x', envelopeBytes);
        TimeSpan elapsed;
        CpuSample cpuUsed;
        await using (var dataSource = NpgsqlDataSource.Create(connection))
        {
            var cpu = CpuSample.Take();
            var started = Stopwatch.GetTimestamp();
            await Parallel.ForAsync(0, events, new ParallelOptions { MaxDegreeOfParallelism = inFlight }, async (_, ct) =>
            {
                var begun = Stopwatch.GetTimestamp();
                await using var insert = dataSource.CreateCommand(
                    "INSERT INTO eventbus_outbox (id, topic, envelope, created_at, attempts) VALUES ($1, $2, $3, $4, 0)");
                insert.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
                insert.Parameters.Add(new NpgsqlParameter { Value = "bench.payload-sent.v1" });
                insert.Parameters.Add(new NpgsqlParameter { Value = envelope });
                insert.Parameters.Add(new NpgsqlParameter { Value = DateTime.UtcNow });
                await insert.ExecuteNonQueryAsync(ct);
                recorder.Record(begun);
            });
            elapsed = Stopwatch.GetElapsedTime(started);
            cpuUsed = CpuSample.Take() - cpu;
        }

        NpgsqlConnection.ClearAllPools();
        await using (var admin = new NpgsqlConnection(postgres))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }

        return new RunResult("PostgreSQL alone: one INSERT per transaction (outbox ceiling)", events, elapsed, recorder.Percentile(0.5), recorder.Percentile(0.99), cpuUsed);
    }
}
