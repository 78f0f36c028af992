using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace Songjiang.EventBus.Benchmarks;

/// <summary>
/// The transport as services use it: a publisher host and a consumer host, each with <c>AddEventBus()</c> on
/// RabbitMQ. Without the outbox the publisher calls <see cref="IEventBus.PublishAsync"/>; with it, every event is
/// its own transaction through <see cref="IOutbox{TContext}"/> on PostgreSQL and the relay publishes it.
/// </summary>
public static class EventBusRun
{
    // Declared first: static initialisers run in order, and EnvelopeBytes needs it.
    private static readonly string Payload = new('x', 1024 - 80);

    /// <summary>The size of the CloudEvents envelope of one benchmark event (the payload is sized for about 1 KB of data).</summary>
    public static int EnvelopeBytes { get; } = CloudEventFormat.Write(
        new PayloadSentIntegrationEvent(0, Payload), "bench.payload-sent.v1", "bench-publisher-00000000", CloudEventFormat.TraceParentOf(null), null).Length;

    public static async Task<RunResult> RunAsync(Uri broker, string? postgres, int events, int inFlight, int prefetch, bool outbox)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var recorder = new RunRecorder(events);
        var database = outbox ? $"sj_eventbus_bench_{suffix}" : null;
        using var consumer = await StartAsync($"bench-consumer-{suffix}", broker, prefetch, recorder, connection: null);
        using var publisher = await StartAsync($"bench-publisher-{suffix}", broker, prefetch, recorder: null, Connection(postgres, database));

        var cpu = CpuSample.Take();
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForAsync(0, events, new ParallelOptions { MaxDegreeOfParallelism = inFlight }, async (_, ct) =>
        {
            var evt = new PayloadSentIntegrationEvent(Stopwatch.GetTimestamp(), Payload);
            if (!outbox)
            {
                await publisher.Services.GetRequiredService<IEventBus>().PublishAsync(evt, ct);
                return;
            }

            await using var scope = publisher.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<IOutbox<BenchDbContext>>().Add(evt);
            await scope.ServiceProvider.GetRequiredService<BenchDbContext>().SaveChangesAsync(ct);
        });
        var committed = Stopwatch.GetElapsedTime(started);
        await recorder.Done.WaitAsync(TimeSpan.FromMinutes(5));
        var elapsed = Stopwatch.GetElapsedTime(started);
        cpu = CpuSample.Take() - cpu;
        if (outbox)
        {
            // Separates the database's share (commit rate) from the relay's (the drain after the last commit).
            Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"  outbox: {events / committed.TotalSeconds:N0} commits/s; last event received {(elapsed - committed).TotalMilliseconds:F0} ms after the last commit"));
        }

        await publisher.StopAsync();
        await consumer.StopAsync();
        await CleanUpAsync(broker, $"bench-consumer-{suffix}", postgres, database);
        return new RunResult(outbox ? "event bus + outbox (PostgreSQL)" : "event bus", events, elapsed, recorder.Percentile(0.5), recorder.Percentile(0.99), cpu);
    }

    private static string? Connection(string? postgres, string? database) =>
        database is null ? null : new Npgsql.NpgsqlConnectionStringBuilder(postgres) { Database = database }.ConnectionString;

    private static async Task<IHost> StartAsync(string appId, Uri broker, int prefetch, RunRecorder? recorder, string? connection)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["EventBus:Transport"] = "RabbitMQ",
            ["EventBus:AppId"] = appId,
            ["EventBus:Prefetch"] = prefetch.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ConnectionStrings:eventbus"] = broker.ToString(),
            ["EventBus:Outbox:BatchSize"] = "500",
        });

        var bus = builder.AddEventBus();
        if (recorder is not null)
        {
            builder.Services.AddSingleton(recorder);
            bus.AddSubscription<PayloadSentIntegrationEvent, LatencyHandler>();
        }

        if (connection is not null)
        {
            // Pooled, as AddServiceDatabase registers a service's context.
            builder.Services.AddDbContextPool<BenchDbContext>(o => o.UseNpgsql(connection));
            bus.UseOutbox<BenchDbContext>();
        }

        var host = builder.Build();
        if (connection is not null)
        {
            await using var scope = host.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<BenchDbContext>().Database.EnsureCreatedAsync();
        }

        await host.StartAsync();
        return host;
    }

    private static async Task CleanUpAsync(Uri broker, string consumerAppId, string? postgres, string? database)
    {
        await using var connection = await new ConnectionFactory { Uri = broker }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = $"{consumerAppId}-bench.payload-sent.v1";
        await channel.QueueDeleteAsync(queue);
        await channel.QueueDeleteAsync($"dlq-{queue}");
        await channel.ExchangeDeleteAsync($"dlx-{queue}");

        if (database is not null)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await using var admin = new Npgsql.NpgsqlConnection(postgres);
            await admin.OpenAsync();
            await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
