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
    /// <summary>A service's own state, changed in the same unit of work as the event it causes.</summary>
    public DbSet<BenchState> States => Set<BenchState>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddEventBusOutbox();
        modelBuilder.Entity<BenchState>().ToTable("bench_state");
    }
}

/// <summary>A small row of service state: what a unit of work changes besides staging its event.</summary>
public sealed class BenchState
{
    public Guid Id { get; init; }

    public required string Name { get; init; }
}
