using Microsoft.EntityFrameworkCore;

namespace Songjiang.EventBus;

/// <summary>Adds the event bus tables to a service's own <see cref="DbContext"/> model (call from <c>OnModelCreating</c>).</summary>
public static class EventBusModelBuilderExtensions
{
    /// <summary>Adds both the outbox (<c>eventbus_outbox</c>) and the inbox (<c>eventbus_inbox</c>).</summary>
    public static ModelBuilder AddEventBus(this ModelBuilder modelBuilder) =>
        modelBuilder.AddEventBusOutbox().AddEventBusInbox();

    /// <summary>Adds the outbox table, where events wait for the relay after the transaction that caused them commits.</summary>
    public static ModelBuilder AddEventBusOutbox(this ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<OutboxMessage>(outbox =>
        {
            // Explicit snake_case names: the relay's claim statement is raw SQL and must not depend on naming conventions.
            outbox.ToTable("eventbus_outbox");
            outbox.HasKey(m => m.Id);
            outbox.Property(m => m.Id).HasColumnName("id").ValueGeneratedNever();
            outbox.Property(m => m.Topic).HasColumnName("topic").HasMaxLength(200).IsRequired();
            outbox.Property(m => m.Envelope).HasColumnName("envelope").IsRequired();
            outbox.Property(m => m.CreatedAt).HasColumnName("created_at");
            outbox.Property(m => m.SentAt).HasColumnName("sent_at");
            outbox.Property(m => m.Attempts).HasColumnName("attempts");
            outbox.Property(m => m.LastError).HasColumnName("last_error").HasMaxLength(2000);
            outbox.Property(m => m.LockedUntil).HasColumnName("locked_until");
            outbox.Property(m => m.LockOwner).HasColumnName("lock_owner").HasMaxLength(64);
            outbox.HasIndex(m => new { m.SentAt, m.CreatedAt }).HasDatabaseName("ix_eventbus_outbox_pending");
            outbox.HasIndex(m => m.LockOwner).HasDatabaseName("ix_eventbus_outbox_lock_owner");
        });
        return modelBuilder;
    }

    /// <summary>Adds the inbox table: one row per event (CloudEvents <c>id</c> and <c>source</c>) and consumer that has had its effect.</summary>
    public static ModelBuilder AddEventBusInbox(this ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<InboxMessage>(inbox =>
        {
            inbox.ToTable("eventbus_inbox");
            inbox.HasKey(m => new { m.EventId, m.Source, m.Consumer });
            inbox.Property(m => m.EventId).HasColumnName("event_id").HasMaxLength(200);
            inbox.Property(m => m.Source).HasColumnName("source").HasMaxLength(200);
            inbox.Property(m => m.Consumer).HasColumnName("consumer").HasMaxLength(300);
            inbox.Property(m => m.ProcessedAt).HasColumnName("processed_at");
        });
        return modelBuilder;
    }
}
