using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Songjiang.EventBus.Benchmarks;

/// <summary>
/// The transport's own work per event, without the broker: what <see cref="IEventBus.PublishAsync"/> does before it
/// hands the envelope to the channel, and what a consumer does with a delivered body (parse, deserialise, DI scope,
/// handler, metrics). Single-threaded loops; the process's CPU time per event is less disturbed by other work on a
/// shared machine than the wall-clock time, and allocations (<see cref="GC.GetAllocatedBytesForCurrentThread"/>) are exact.
/// </summary>
public static class HotPathProfile
{
    private const string Topic = "bench.payload-sent.v1";

    public static async Task RunAsync(int iterations)
    {
        using var host = Build();
        var bus = host.Services.GetRequiredService<IEventBus>();
        var delivery = host.Services.GetRequiredService<RetryingDelivery>();
        var payload = new string('x', 1024 - 80);
        var body = CloudEventFormat.Write(new PayloadSentIntegrationEvent(0, payload), Topic, "bench-publisher", CloudEventFormat.TraceParentOf(null), null);

        Console.WriteLine($"{iterations:N0} events per line, one thread, envelope of {body.Length} bytes");
        Console.WriteLine("| step | tracing | CPU µs/event | wall µs/event | bytes allocated/event |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var traced in new[] { false, true })
        {
            using var listener = traced ? SampleEverything() : null;
            await MeasureAsync("publish: envelope, trace context, metrics (no broker)", traced, iterations,
                () => bus.PublishAsync(new PayloadSentIntegrationEvent(0, payload)));
            await MeasureAsync("consume: parse, deserialise, scope, handler, metrics", traced, iterations,
                async () =>
                {
                    if (await delivery.DeliverAsync(Topic, body, CancellationToken.None) is { } error)
                    {
                        throw new InvalidOperationException(error);
                    }
                });
        }
    }

    private static async Task MeasureAsync(string step, bool traced, int iterations, Func<Task> action)
    {
        for (var i = 0; i < Math.Min(iterations, 20_000); i++)
        {
            await action();
        }

        GC.Collect();
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < iterations; i++)
        {
            await action();
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        bytes = GC.GetAllocatedBytesForCurrentThread() - bytes;
        process.Refresh();
        cpu = process.TotalProcessorTime - cpu;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {step} | {(traced ? "sampled" : "off")} | {cpu.TotalMicroseconds / iterations:F2} | {elapsed.TotalMicroseconds / iterations:F2} | {bytes / iterations:N0} |"));
    }

    private static IHost Build()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["EventBus:Transport"] = "InMemory",
            ["EventBus:AppId"] = "bench-profile",
        });
        builder.AddEventBus().AddSubscription<PayloadSentIntegrationEvent, CountingHandler>();
        builder.Services.Replace(ServiceDescriptor.Singleton<IEventTransport, DiscardingTransport>());
        return builder.Build();
    }

    private static ActivityListener SampleEverything()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == EventBusDiagnostics.Name,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    /// <summary>The broker's place: takes the envelope and completes at once.</summary>
    private sealed class DiscardingTransport : IEventTransport
    {
        public Task PublishAsync(string topic, string messageId, ReadOnlyMemory<byte> envelope, CancellationToken ct) => Task.CompletedTask;
    }

    private sealed class CountingHandler : IIntegrationEventHandler<PayloadSentIntegrationEvent>
    {
        public Task Handle(PayloadSentIntegrationEvent evt, CancellationToken ct) => Task.CompletedTask;
    }
}
