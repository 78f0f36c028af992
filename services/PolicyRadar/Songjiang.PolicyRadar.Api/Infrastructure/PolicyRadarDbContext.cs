using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Songjiang.EventBus;
using Songjiang.Persistence;
using Songjiang.PolicyRadar.Api.Criteria;
using Songjiang.PolicyRadar.Api.Domain;
using System.Text.Json;

namespace Songjiang.PolicyRadar.Api.Infrastructure;

/// <summary>
/// The policy radar's own database: policies and their versions, the read model of enterprise profiles, the push
/// ledger, subscriptions, the sync's progress, and the event bus outbox and inbox.
/// </summary>
public sealed class PolicyRadarDbContext(DbContextOptions<PolicyRadarDbContext> options) : DbContext(options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Policies.</summary>
    public DbSet<Policy> Policies => Set<Policy>();

    /// <summary>Policy versions.</summary>
    public DbSet<PolicyVersion> PolicyVersions => Set<PolicyVersion>();

    /// <summary>The read model of enterprise profiles.</summary>
    public DbSet<EnterpriseProfile> Enterprises => Set<EnterpriseProfile>();

    /// <summary>What was pushed to whom.</summary>
    public DbSet<PushRecord> Pushes => Set<PushRecord>();

    /// <summary>Enterprises' subscriptions.</summary>
    public DbSet<Subscription> Subscriptions => Set<Subscription>();

    /// <summary>Progress of the initial sync.</summary>
    public DbSet<SyncState> SyncStates => Set<SyncState>();

    /// <inheritdoc />
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.UsePortableDateTimeOffsets(this);

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddEventBus();

        modelBuilder.Entity<Policy>(policy =>
        {
            policy.ToTable("policies");
            policy.HasKey(p => p.Id);
            policy.Ignore(p => p.Latest);
            policy.HasMany(p => p.Versions).WithOne().HasForeignKey(v => v.PolicyId);
            policy.Property(p => p.LatestVersion).IsConcurrencyToken();
        });

        modelBuilder.Entity<PolicyVersion>(version =>
        {
            version.ToTable("policy_versions");
            version.HasKey(v => new { v.PolicyId, v.Version });
            version.Property(v => v.Status).HasConversion<string>().HasMaxLength(20).IsConcurrencyToken();
            version.Property(v => v.Level).HasConversion<string>().HasMaxLength(20);
            version.Property(v => v.Title).HasMaxLength(200);
            version.Property(v => v.IssuingBody).HasMaxLength(100);
            version.Property(v => v.DocumentNumber).HasMaxLength(60);
            version.Property(v => v.BenefitType).HasMaxLength(30);
            version.Property(v => v.BenefitAmount).HasPrecision(18, 2);
            version.Property(v => v.DraftedBy).HasMaxLength(64);
            version.Property(v => v.LastEditedBy).HasMaxLength(64);
            version.Property(v => v.ReviewedBy).HasMaxLength(64);
            version.Property(v => v.PublishedBy).HasMaxLength(64);
            JsonList(version.Property(v => v.Industries));
            JsonList(version.Property(v => v.EnterpriseKinds));
            JsonList(version.Property(v => v.Topics));
            JsonList(version.Property(v => v.Editors));
            version.HasIndex(v => v.Status);
            version.HasIndex(v => v.PublishedAt);
        });

        modelBuilder.Entity<EnterpriseProfile>(enterprise =>
        {
            enterprise.ToTable("enterprise_profiles");
            enterprise.HasKey(e => e.Uscc);
            enterprise.Property(e => e.Uscc).HasMaxLength(18);
            enterprise.Property(e => e.Name).HasMaxLength(200);
            enterprise.Property(e => e.Location).HasMaxLength(20);
            enterprise.Property(e => e.IndustryCode).HasMaxLength(5);
            enterprise.Property(e => e.SizeClass).HasMaxLength(10);
            enterprise.Property(e => e.Stage).HasMaxLength(20);
            enterprise.Property(e => e.CreditRating).HasMaxLength(1);
            enterprise.Property(e => e.AnnualRevenue).HasPrecision(18, 2);
            enterprise.Property(e => e.RdSpending).HasPrecision(18, 2);
            enterprise.Property(e => e.Qualifications).HasConversion(
                v => JsonSerializer.Serialize(v, Json),
                v => JsonSerializer.Deserialize<List<HeldQualification>>(v, Json) ?? new List<HeldQualification>(),
                new ValueComparer<List<HeldQualification>>(
                    (a, b) => a!.SequenceEqual(b!), v => v.Aggregate(0, (h, q) => HashCode.Combine(h, q)), v => v.ToList()));
            enterprise.HasIndex(e => e.SyncedAt);
        });

        modelBuilder.Entity<PushRecord>(push =>
        {
            push.ToTable("pushes");
            push.HasKey(p => new { p.Uscc, p.PolicyId, p.PolicyVersion, p.Kind });
            push.Property(p => p.Uscc).HasMaxLength(18);
            push.Property(p => p.Kind).HasMaxLength(20);
            push.Property(p => p.PolicyTitle).HasMaxLength(200);
            JsonList(push.Property(p => p.Reasons));
            push.HasIndex(p => new { p.PolicyId, p.PolicyVersion });
        });

        modelBuilder.Entity<Subscription>(subscription =>
        {
            subscription.ToTable("subscriptions");
            subscription.HasKey(s => s.Id);
            subscription.Property(s => s.Uscc).HasMaxLength(18);
            subscription.Property(s => s.CreatedBy).HasMaxLength(64);
            JsonList(subscription.Property(s => s.Topics));
            JsonList(subscription.Property(s => s.Keywords));
            subscription.HasIndex(s => s.Uscc);
        });

        modelBuilder.Entity<SyncState>(state =>
        {
            state.ToTable("sync_state");
            state.HasKey(s => s.Source);
            state.Property(s => s.Source).HasMaxLength(40);
            state.Property(s => s.Cursor).HasMaxLength(18);
        });
    }

    private static void JsonList(PropertyBuilder<List<string>> property) =>
        property.HasConversion(
            v => JsonSerializer.Serialize(v, Json),
            v => JsonSerializer.Deserialize<List<string>>(v, Json) ?? new List<string>(),
            new ValueComparer<List<string>>((a, b) => a!.SequenceEqual(b!), v => v.Aggregate(0, (h, s) => HashCode.Combine(h, s)), v => v.ToList()));
}
