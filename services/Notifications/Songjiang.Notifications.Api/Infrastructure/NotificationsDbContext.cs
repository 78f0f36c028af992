using Microsoft.EntityFrameworkCore;
using Songjiang.EventBus;
using Songjiang.Notifications.Api.Domain;
using Songjiang.Persistence;

namespace Songjiang.Notifications.Api.Infrastructure;

/// <summary>The notification service's own database: inboxes, preferences, the channel outbox and reminders.</summary>
public sealed class NotificationsDbContext(DbContextOptions<NotificationsDbContext> options) : DbContext(options)
{
    /// <summary>Inbox messages.</summary>
    public DbSet<Notification> Notifications => Set<Notification>();

    /// <summary>Preferences per inbox.</summary>
    public DbSet<Preference> Preferences => Set<Preference>();

    /// <summary>Messages to send through e-mail and SMS.</summary>
    public DbSet<ChannelDelivery> Deliveries => Set<ChannelDelivery>();

    /// <summary>The embedded SMS provider's outbox.</summary>
    public DbSet<SmsOutboxEntry> SmsOutbox => Set<SmsOutboxEntry>();

    /// <summary>Deadline reminders.</summary>
    public DbSet<Reminder> Reminders => Set<Reminder>();

    /// <summary>Open event streams of every replica, for the per-user stream limit.</summary>
    public DbSet<StreamLease> StreamLeases => Set<StreamLease>();

    /// <summary>The stream position counter (one row).</summary>
    public DbSet<StreamCounter> StreamCounters => Set<StreamCounter>();

    /// <summary>
    /// Whether the open transaction saved messages with provisional positions, for
    /// <see cref="Streaming.StreamPositions"/> to number at the commit.
    /// </summary>
    internal bool StagedMessages { get; set; }

    /// <inheritdoc />
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.UsePortableDateTimeOffsets(this);

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddEventBus();

        modelBuilder.Entity<Notification>(message =>
        {
            message.ToTable("notifications");
            message.HasKey(n => n.Id);
            message.Property(n => n.Id).ValueGeneratedNever();
            message.Property(n => n.Recipient).HasMaxLength(160);
            message.Property(n => n.Category).HasConversion<string>().HasMaxLength(40);
            message.Property(n => n.Title).HasMaxLength(200);
            message.Property(n => n.Body).HasMaxLength(4000);
            message.Property(n => n.Link).HasMaxLength(500);
            message.Property(n => n.Subject).HasMaxLength(100);
            message.Property(n => n.ReadBy).HasMaxLength(128);
            message.HasIndex(n => n.Sequence).IsUnique();
            message.HasIndex(n => new { n.Recipient, n.Sequence });
            message.HasIndex(n => new { n.Recipient, n.ReadAt });
            // Belt and braces beside the inbox: one message per event and inbox, whatever happens upstream.
            message.HasIndex(n => new { n.SourceEventId, n.Recipient }).IsUnique();
        });

        modelBuilder.Entity<Preference>(preference =>
        {
            preference.ToTable("preferences");
            preference.HasKey(p => p.Recipient);
            preference.Property(p => p.Recipient).HasMaxLength(160);
            preference.Property(p => p.MutedCategories).HasConversion(
                    v => string.Join(',', v),
                    v => v.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<NotificationCategory>).ToList())
                .Metadata.SetValueComparer(new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<List<NotificationCategory>>(
                    (a, b) => a!.SequenceEqual(b!), v => v.Aggregate(0, (h, c) => HashCode.Combine(h, c)), v => v.ToList()));
            preference.Property(p => p.EmailAddress).HasMaxLength(254);
            preference.Property(p => p.MobileNumber).HasMaxLength(20);
            preference.Property(p => p.UpdatedBy).HasMaxLength(128);
        });

        modelBuilder.Entity<ChannelDelivery>(delivery =>
        {
            delivery.ToTable("channel_deliveries");
            delivery.HasKey(d => d.Id);
            delivery.Property(d => d.Id).ValueGeneratedNever();
            delivery.Property(d => d.Channel).HasConversion<string>().HasMaxLength(10);
            delivery.Property(d => d.Status).HasConversion<string>().HasMaxLength(10);
            delivery.Property(d => d.Address).HasMaxLength(254);
            delivery.Property(d => d.Subject).HasMaxLength(200);
            delivery.Property(d => d.Body).HasMaxLength(4000);
            delivery.Property(d => d.LastError).HasMaxLength(500);
            delivery.HasIndex(d => new { d.Status, d.NextAttemptAt });
            delivery.HasIndex(d => new { d.Address, d.SentAt });
        });

        modelBuilder.Entity<SmsOutboxEntry>(sms =>
        {
            sms.ToTable("sms_outbox");
            sms.HasKey(s => s.Id);
            sms.Property(s => s.Id).ValueGeneratedNever();
            sms.Property(s => s.MobileNumber).HasMaxLength(20);
            sms.Property(s => s.Text).HasMaxLength(1000);
            sms.HasIndex(s => s.DeliveryId).IsUnique();
        });

        modelBuilder.Entity<Reminder>(reminder =>
        {
            reminder.ToTable("reminders");
            reminder.HasKey(r => r.Key);
            reminder.Property(r => r.Key).HasMaxLength(80);
            reminder.Property(r => r.Recipient).HasMaxLength(160);
            reminder.Property(r => r.ApplicationNumber).HasMaxLength(40);
            reminder.Property(r => r.ApplicationName).HasMaxLength(200);
            reminder.Property(r => r.What).HasMaxLength(100);
            reminder.Property(r => r.Link).HasMaxLength(500);
            reminder.Property(r => r.Outcome).HasMaxLength(20);
            reminder.HasIndex(r => new { r.DoneAt, r.RemindAt });
        });

        modelBuilder.Entity<StreamLease>(lease =>
        {
            lease.ToTable("stream_leases");
            lease.HasKey(l => l.Id);
            lease.Property(l => l.Id).ValueGeneratedNever();
            lease.Property(l => l.UserId).HasMaxLength(128);
            lease.HasIndex(l => new { l.UserId, l.OpenedAt });
            lease.HasIndex(l => new { l.ReplicaId, l.EvictedAt });
            lease.HasIndex(l => l.SeenAt);
        });

        modelBuilder.Entity<StreamCounter>(counter =>
        {
            counter.ToTable("stream_counter");
            counter.HasKey(c => c.Id);
            counter.Property(c => c.Id).HasColumnName("id").ValueGeneratedNever();
            counter.Property(c => c.Value).HasColumnName("value");
            counter.HasData(new StreamCounter { Id = 1, Value = 0 });
        });
    }
}

/// <summary>The last stream position handed out.</summary>
public sealed class StreamCounter
{
    /// <summary>Always 1.</summary>
    public int Id { get; init; }

    /// <summary>The last position.</summary>
    public long Value { get; init; }
}
