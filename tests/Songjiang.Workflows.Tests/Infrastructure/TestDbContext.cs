using Microsoft.EntityFrameworkCore;

namespace Songjiang.Workflows.Tests.Infrastructure;

/// <summary>A host's DbContext: its own outbox table plus the runtime's tables.</summary>
public sealed class TestDbContext(DbContextOptions<TestDbContext> options) : DbContext(options)
{
    public DbSet<OutboxRow> Outbox => Set<OutboxRow>();
    public DbSet<CaseRow> Cases => Set<CaseRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxRow>().ToTable("test_outbox");
        modelBuilder.Entity<CaseRow>().ToTable("test_cases");
        modelBuilder.AddWorkflows();
    }
}

public sealed class OutboxRow
{
    public long Id { get; set; }
    public required string Topic { get; set; }
    public required string Payload { get; set; }
    public required string CorrelationId { get; set; }
}

/// <summary>The host's own case row, written in the same transaction as a workflow command.</summary>
public sealed class CaseRow
{
    public required string Id { get; set; }
    public required string State { get; set; }
}
