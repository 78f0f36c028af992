using Microsoft.EntityFrameworkCore;
using Songjiang.EventBus;
using Songjiang.Persistence;
using Songjiang.Exchange.Api.Domain;

namespace Songjiang.Exchange.Api.Infrastructure;

/// <summary>The exchange service's own database.</summary>
public sealed class ExchangeDbContext(DbContextOptions<ExchangeDbContext> options) : DbContext(options)
{
    /// <summary>Nonces partner cities have used.</summary>
    public DbSet<UsedNonce> Nonces => Set<UsedNonce>();

    /// <summary>Applications filed by partner cities.</summary>
    public DbSet<PartnerApplication> Applications => Set<PartnerApplication>();

    /// <summary>The hash-chained message log.</summary>
    public DbSet<MessageRecord> Messages => Set<MessageRecord>();

    /// <summary>Sealed chain heads.</summary>
    public DbSet<ChainSeal> Seals => Set<ChainSeal>();

    /// <summary>The platform's SM2 key.</summary>
    public DbSet<PlatformKey> PlatformKeys => Set<PlatformKey>();

    /// <summary>Webhook targets.</summary>
    public DbSet<WebhookSubscription> Webhooks => Set<WebhookSubscription>();

    /// <summary>Webhook deliveries.</summary>
    public DbSet<WebhookDelivery> Deliveries => Set<WebhookDelivery>();

    /// <summary>Applications forwarded to the G60 city that handles them.</summary>
    public DbSet<ForwardedApplication> Forwards => Set<ForwardedApplication>();

    /// <inheritdoc />
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.UsePortableDateTimeOffsets(this);

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddEventBus();
        modelBuilder.Entity<UsedNonce>(entity =>
        {
            entity.ToTable("partner_nonces");
            entity.HasKey(n => new { n.City, n.Nonce });
            entity.Property(n => n.City).HasMaxLength(6);
            entity.Property(n => n.Nonce).HasMaxLength(64);
            entity.HasIndex(n => n.SeenAt);
        });
        modelBuilder.Entity<PartnerApplication>(entity =>
        {
            entity.ToTable("partner_applications");
            entity.HasKey(a => a.Id);
            entity.HasIndex(a => new { a.City, a.PartnerReference }).IsUnique();
            entity.HasIndex(a => a.CaseNumber).IsUnique();
            entity.Property(a => a.PartnerReference).HasMaxLength(128);
        });
        modelBuilder.Entity<MessageRecord>(entity =>
        {
            entity.ToTable("message_log");
            entity.HasKey(m => m.Sequence);
            entity.Property(m => m.Sequence).ValueGeneratedNever();
            entity.HasIndex(m => new { m.City, m.AtUnixMs });
            entity.HasIndex(m => m.AtUnixMs);
        });
        modelBuilder.Entity<ChainSeal>(entity =>
        {
            entity.ToTable("message_log_seals");
            entity.HasKey(s => s.Id);
            entity.HasIndex(s => new { s.Day, s.HeadSequence }).IsUnique();
        });
        modelBuilder.Entity<PlatformKey>(entity =>
        {
            entity.ToTable("platform_keys");
            entity.HasKey(k => k.Id);
            entity.Property(k => k.Id).ValueGeneratedNever();
        });
        modelBuilder.Entity<WebhookSubscription>(entity =>
        {
            entity.ToTable("webhook_subscriptions");
            entity.HasKey(w => w.City);
        });
        modelBuilder.Entity<ForwardedApplication>(entity =>
        {
            entity.ToTable("forwarded_applications");
            entity.HasKey(f => f.Id);
            entity.HasIndex(f => f.CaseNumber).IsUnique();
            entity.HasIndex(f => new { f.City, f.RemoteApplicationId });
            entity.HasIndex(f => new { f.State, f.NextAttemptAt });
            entity.Property(f => f.CaseNumber).HasMaxLength(32);
            entity.Property(f => f.City).HasMaxLength(6);
            entity.Property(f => f.MatterCode).HasMaxLength(32);
            entity.Property(f => f.State).HasMaxLength(16);
            entity.Property(f => f.RemoteNumber).HasMaxLength(64);
            entity.Property(f => f.LastError).HasMaxLength(1000);
            entity.Property(f => f.PendingLicences).HasMaxLength(2000);
        });
        modelBuilder.Entity<WebhookDelivery>(entity =>
        {
            entity.ToTable("webhook_deliveries");
            entity.HasKey(d => d.Id);
            entity.HasIndex(d => new { d.State, d.NextAttemptAt });
            entity.HasIndex(d => new { d.ApplicationId, d.Sequence }).IsUnique();
            entity.HasIndex(d => new { d.City, d.CreatedAt });
        });
    }
}
