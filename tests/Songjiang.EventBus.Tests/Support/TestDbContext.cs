using Microsoft.EntityFrameworkCore;

namespace Songjiang.EventBus.Tests.Support;

/// <summary>A service's own DbContext: its state (<see cref="Effect"/>) plus the event bus tables.</summary>
public sealed class TestDbContext(DbContextOptions<TestDbContext> options) : DbContext(options)
{
    public DbSet<Effect> Effects => Set<Effect>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddEventBus();
        modelBuilder.Entity<Effect>().HasKey(e => e.Id);
    }
}

/// <summary>What a handler changes in its service's database; counted to prove "effect once".</summary>
public sealed class Effect
{
    public long Id { get; set; }

    public required string EventId { get; set; }

    public required string Reference { get; set; }
}
