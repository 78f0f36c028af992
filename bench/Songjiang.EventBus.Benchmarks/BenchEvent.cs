using Microsoft.EntityFrameworkCore;
using Songjiang.EventBus;

namespace Songjiang.EventBus.Benchmarks;

/// <summary>A 1 KB event; <see cref="SentAt"/> is a <see cref="System.Diagnostics.Stopwatch"/> timestamp of this process.</summary>
[IntegrationEvent("bench.payload-sent.v1")]
public sealed record PayloadSentIntegrationEvent(long SentAt, string Payload) : IntegrationEvent;

public sealed class LatencyHandler(RunRecorder recorder) : IIntegrationEventHandler<PayloadSentIntegrationEvent>
{
    public Task Handle(PayloadSentIntegrationEvent evt, CancellationToken ct)
    {
        recorder.Record(evt.SentAt);
        return Task.CompletedTask;
    }
}

/// <summary>The publishing service's database: only the outbox.</summary>
public sealed class BenchDbContext(DbContextOptions<BenchDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddEventBusOutbox();
}
