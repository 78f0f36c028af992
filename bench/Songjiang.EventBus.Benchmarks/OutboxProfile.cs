using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Songjiang.EventBus.Benchmarks;

/// <summary>
/// Where the outbox path spends its time, one thread at a time, on PostgreSQL and the in-process transport (so the
/// broker takes no CPU): a service's commit (scope, <see cref="IOutbox{TContext}.Add"/>, <c>SaveChangesAsync</c>)
/// with the relay stopped, then the relay draining those events, and the same row inserted with plain Npgsql.
/// </summary>
public static class OutboxProfile
{
    private const string Topic = "bench.payload-sent.v1";

    public static async Task RunAsync(string postgres, int commits)
    {
        var database = $"sj_eventbus_profile_{Guid.NewGuid():N}"[..32];
        var connection = new NpgsqlConnectionStringBuilder(postgres) { Database = database }.ConnectionString;
        var broker = new InMemoryBroker();
        var probe = broker.Bind("probe", Topic);
        var payload = new string('x', 1024 - 80);
        const int warmUp = 500;
        try
        {
            // A first host commits and relays a warm-up backlog, so EF Core has compiled the relay's statements (its
            // query cache is shared by hosts with the same options) before anything is measured.
            using (var warm = Build(broker, connection))
            {
                await using (var scope = warm.Services.CreateAsyncScope())
                {
                    await scope.ServiceProvider.GetRequiredService<BenchDbContext>().Database.EnsureCreatedAsync();
                }

                await warm.StartAsync();
                for (var i = 0; i < warmUp; i++)
                {
                    await CommitAsync(warm, payload);
                }

                for (var received = 0; received < warmUp; received++)
                {
                    await probe.DequeueAsync(CancellationToken.None);
                }

                await warm.StopAsync();
            }

            using var host = Build(broker, connection);

            Console.WriteLine();
            Console.WriteLine($"outbox, {commits:N0} events per line, one thread, PostgreSQL and the in-process transport");
            Console.WriteLine("| step | CPU µs/event | wall µs/event | bytes allocated/event |");
            Console.WriteLine("|---|---|---|---|");

            // This host is built but not started: its relay does not run, so the commits are measured alone.
            var sample = Sample.Start();
            for (var i = 0; i < commits; i++)
            {
                await CommitAsync(host, payload);
            }

            sample.Print("commit: scope, IOutbox.Add, SaveChangesAsync (relay stopped)", commits);

            // As services commit: a row of their own state and the event it causes, with and without their own transaction.
            sample = Sample.Start();
            for (var i = 0; i < commits; i++)
            {
                await CommitWithStateAsync(host, payload, transaction: false);
            }

            sample.Print("commit with a state row: scope, Add, IOutbox.Add, SaveChangesAsync", commits);
            sample = Sample.Start();
            for (var i = 0; i < commits; i++)
            {
                await CommitWithStateAsync(host, payload, transaction: true);
            }

            sample.Print("the same in the caller's transaction: BeginTransaction, …, Commit", commits);

            // Now the relay drains everything committed above, handed to it in memory, publishing into the in-process broker.
            var total = 3 * commits;
            sample = Sample.Start();
            await host.StartAsync();
            for (var received = 0; received < total; received++)
            {
                await probe.DequeueAsync(CancellationToken.None);
            }

            sample.Print("relay: publish the handed-off events (in-process), mark sent", total);
            await host.StopAsync();

            // The parts of the commit: the scope, the context and the staged event without a save; and EF Core writing the
            // same row by raw SQL through the scope's context (no change tracking), to tell EF's share from the outbox's.
            sample = Sample.Start();
            for (var i = 0; i < commits; i++)
            {
                await using var scope = host.Services.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<IOutbox<BenchDbContext>>().Add(new PayloadSentIntegrationEvent(0, payload));
            }

            sample.Print("part: scope, context, IOutbox.Add (no save)", commits);

            var rawEnvelope = new string('x', EventBusRun.EnvelopeBytes);
            sample = Sample.Start();
            for (var i = 0; i < commits; i++)
            {
                await using var scope = host.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<BenchDbContext>().Database.ExecuteSqlRawAsync(
                    "INSERT INTO eventbus_outbox (id, topic, envelope, created_at, attempts) VALUES ({0}, {1}, {2}, {3}, 0)",
                    Guid.CreateVersion7(), Topic, rawEnvelope, DateTime.UtcNow);
            }

            sample.Print("part: scope, context, the row by EF Core raw SQL", commits);

            await using var dataSource = NpgsqlDataSource.Create(connection);
            var envelope = new string('x', EventBusRun.EnvelopeBytes);
            async Task InsertAsync()
            {
                await using var insert = dataSource.CreateCommand(
                    "INSERT INTO eventbus_outbox (id, topic, envelope, created_at, attempts) VALUES ($1, $2, $3, $4, 0)");
                insert.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
                insert.Parameters.Add(new NpgsqlParameter { Value = Topic });
                insert.Parameters.Add(new NpgsqlParameter { Value = envelope });
                insert.Parameters.Add(new NpgsqlParameter { Value = DateTime.UtcNow });
                await insert.ExecuteNonQueryAsync();
            }

            for (var i = 0; i < warmUp; i++)
            {
                await InsertAsync();
            }

            sample = Sample.Start();
            for (var i = 0; i < commits; i++)
            {
                await InsertAsync();
            }

            sample.Print("the same row with plain Npgsql (autocommit INSERT)", commits);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(postgres);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static async Task CommitAsync(IHost host, string payload)
    {
        await using var scope = host.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<IOutbox<BenchDbContext>>().Add(new PayloadSentIntegrationEvent(0, payload));
        await scope.ServiceProvider.GetRequiredService<BenchDbContext>().SaveChangesAsync();
    }

    private static async Task CommitWithStateAsync(IHost host, string payload, bool transaction)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BenchDbContext>();
        await using var begun = transaction ? await db.Database.BeginTransactionAsync() : null;
        db.States.Add(new BenchState { Id = Guid.CreateVersion7(), Name = "申请已受理" });
        scope.ServiceProvider.GetRequiredService<IOutbox<BenchDbContext>>().Add(new PayloadSentIntegrationEvent(0, payload));
        await db.SaveChangesAsync();
        if (begun is not null)
        {
            await begun.CommitAsync();
        }
    }

    private static IHost Build(InMemoryBroker broker, string connection)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["EventBus:Transport"] = "InMemory",
            ["EventBus:AppId"] = "bench-outbox-profile",
            ["EventBus:Outbox:BatchSize"] = "500",
        });
        builder.Services.AddSingleton(broker);
        builder.Services.AddDbContextPool<BenchDbContext>(o => o.UseNpgsql(connection));
        builder.AddEventBus().UseOutbox<BenchDbContext>();
        return builder.Build();
    }

    /// <summary>CPU time, wall time and allocations (all threads) from <see cref="Start"/> to <see cref="Print"/>.</summary>
    private readonly record struct Sample(TimeSpan Cpu, long Started, long Bytes)
    {
        public static Sample Start() => new(CpuSample.ProcessTime(), Stopwatch.GetTimestamp(), GC.GetTotalAllocatedBytes(precise: true));

        public void Print(string step, int events)
        {
            var cpu = CpuSample.ProcessTime() - Cpu;
            var wall = Stopwatch.GetElapsedTime(Started);
            var bytes = GC.GetTotalAllocatedBytes(precise: true) - Bytes;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {step} | {cpu.TotalMicroseconds / events:F0} | {wall.TotalMicroseconds / events:F0} | {bytes / events:N0} |"));
        }
    }
}
