using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Songjiang.Workflows;

namespace Songjiang.Workflows.Benchmarks;

/// <summary>A host context: the runtime's tables plus the baseline's case, journal and outbox tables.</summary>
internal sealed class BenchDbContext(DbContextOptions<BenchDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>().ToTable("bench_outbox");
        modelBuilder.AddWorkflows();
    }
}

internal sealed class OutboxMessage
{
    public long Id { get; set; }
    public required string Topic { get; set; }
    public required string Payload { get; set; }
    public required string CorrelationId { get; set; }
}

/// <summary>The same outbox binding a host would use.</summary>
internal sealed class OutboxPublisher : IWorkflowEventPublisher
{
    public void Enqueue(DbContext db, string topic, JsonElement payload, string correlationId) =>
        db.Add(new OutboxMessage { Topic = topic, Payload = payload.GetRawText(), CorrelationId = correlationId });
}
