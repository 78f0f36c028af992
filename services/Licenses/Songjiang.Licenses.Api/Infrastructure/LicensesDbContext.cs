using Microsoft.EntityFrameworkCore;
using Songjiang.EventBus;
using Songjiang.Licenses.Api.Domain;
using System.Text.Json;

namespace Songjiang.Licenses.Api.Infrastructure;

/// <summary>The licenses service's own database.</summary>
public sealed class LicensesDbContext(DbContextOptions<LicensesDbContext> options) : DbContext(options)
{
    private static readonly JsonSerializerOptions FieldJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    /// <summary>Issuing authorities (seeded).</summary>
    public DbSet<IssuingAuthority> Authorities => Set<IssuingAuthority>();

    /// <summary>Licence types (seeded).</summary>
    public DbSet<LicenceType> LicenceTypes => Set<LicenceType>();

    /// <summary>Issued licences.</summary>
    public DbSet<Licence> Licences => Set<Licence>();

    /// <summary>Licences other G60 cities issued to our enterprises, verified through the trust list.</summary>
    public DbSet<PartnerLicence> PartnerLicences => Set<PartnerLicence>();

    /// <summary>Status history.</summary>
    public DbSet<LicenceStatusChange> StatusChanges => Set<LicenceStatusChange>();

    /// <summary>Our sealing keys (embedded key mode).</summary>
    public DbSet<SealKey> SealKeys => Set<SealKey>();

    /// <summary>The trust list of partner issuers' keys.</summary>
    public DbSet<TrustedKey> TrustedKeys => Set<TrustedKey>();

    /// <summary>Registered details of holders, from the enterprise register's events and feed.</summary>
    public DbSet<HolderProfile> HolderProfiles => Set<HolderProfile>();

    /// <summary>Approvals waiting for their holder's registered details.</summary>
    public DbSet<PendingIssue> PendingIssues => Set<PendingIssue>();

    /// <summary>How far the initial read of the register's feed has come.</summary>
    public DbSet<RegisterSyncState> RegisterSync => Set<RegisterSyncState>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddEventBus(); // outbox and inbox tables
        modelBuilder.Entity<HolderProfile>(entity =>
        {
            entity.ToTable("holder_profiles");
            entity.HasKey(p => p.Uscc);
            entity.Property(p => p.Uscc).HasMaxLength(18);
            entity.Property(p => p.Name).HasMaxLength(200);
            entity.Property(p => p.LegalRepresentative).HasMaxLength(100);
            entity.Property(p => p.RegisteredAddress).HasMaxLength(300);
            entity.Property(p => p.RegisteredOnApplication).HasMaxLength(64);
            entity.HasIndex(p => p.RegisteredOnApplication);
        });
        modelBuilder.Entity<PendingIssue>(entity =>
        {
            entity.ToTable("pending_issues");
            entity.HasKey(p => p.ApplicationNumber);
            entity.Property(p => p.ApplicationNumber).HasMaxLength(64);
            entity.Property(p => p.HolderUscc).HasMaxLength(18);
            entity.HasIndex(p => p.HolderUscc);
        });
        modelBuilder.Entity<RegisterSyncState>(entity =>
        {
            entity.ToTable("register_sync");
            entity.HasKey(s => s.Id);
            entity.Property(s => s.Cursor).HasMaxLength(18);
        });
        modelBuilder.Entity<IssuingAuthority>(entity =>
        {
            entity.HasKey(a => a.Code);
            entity.HasIndex(a => a.Department);
        });
        modelBuilder.Entity<LicenceType>(entity =>
        {
            entity.HasKey(t => t.Code);
            entity.Property(t => t.NationalTypeCode).HasMaxLength(32);
            entity.Property(t => t.Fields).HasConversion(
                fields => JsonSerializer.Serialize(fields, FieldJson),
                json => JsonSerializer.Deserialize<List<LicenceFieldDefinition>>(json, FieldJson) ?? new List<LicenceFieldDefinition>(),
                new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<List<LicenceFieldDefinition>>(
                    (a, b) => JsonSerializer.Serialize(a, FieldJson) == JsonSerializer.Serialize(b, FieldJson),
                    v => JsonSerializer.Serialize(v, FieldJson).GetHashCode(StringComparison.Ordinal),
                    v => JsonSerializer.Deserialize<List<LicenceFieldDefinition>>(JsonSerializer.Serialize(v, FieldJson), FieldJson)!));
        });
        modelBuilder.Entity<Licence>(entity =>
        {
            entity.HasKey(l => l.Id);
            entity.HasIndex(l => l.Number).IsUnique();
            entity.Property(l => l.NationalIdentifier).HasMaxLength(NationalLicenceIdentifier.MaxLength);
            entity.HasIndex(l => l.NationalIdentifier).IsUnique();
            entity.HasIndex(l => l.ApplicationId).IsUnique();
            entity.HasIndex(l => l.StatusListIndex).IsUnique();
            entity.HasIndex(l => new { l.HolderUscc, l.IssueDate });
            entity.HasIndex(l => new { l.AuthorityCode, l.IssueDate });
            entity.Property(l => l.Status).HasConversion<string>().HasMaxLength(16);
            entity.Property(l => l.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<PartnerLicence>(entity =>
        {
            entity.ToTable("partner_licences");
            entity.HasKey(l => l.Id);
            entity.Property(l => l.Number).HasMaxLength(100);
            entity.HasIndex(l => l.Number).IsUnique();
            entity.Property(l => l.TypeCode).HasMaxLength(64);
            entity.Property(l => l.HolderName).HasMaxLength(200);
            entity.Property(l => l.HolderUscc).HasMaxLength(18);
            entity.HasIndex(l => l.HolderUscc);
            entity.Property(l => l.IssuerCode).HasMaxLength(64);
            entity.Property(l => l.IssuerName).HasMaxLength(200);
            entity.Property(l => l.CityCode).HasMaxLength(6);
            entity.Property(l => l.CityName).HasMaxLength(50);
            entity.Property(l => l.KeyId).HasMaxLength(128);
            entity.Property(l => l.NationalIdentifier).HasMaxLength(NationalLicenceIdentifier.MaxLength);
            entity.Property(l => l.ApplicationNumber).HasMaxLength(64);
        });
        modelBuilder.Entity<LicenceStatusChange>(entity =>
        {
            entity.HasKey(c => c.Id);
            entity.HasIndex(c => c.LicenceId);
            entity.Property(c => c.From).HasConversion<string>().HasMaxLength(16);
            entity.Property(c => c.To).HasConversion<string>().HasMaxLength(16);
        });
        modelBuilder.Entity<SealKey>(entity =>
        {
            entity.HasKey(k => k.KeyId);
            entity.HasIndex(k => k.AuthorityCode);
        });
        modelBuilder.Entity<TrustedKey>(entity => entity.HasKey(k => k.KeyId));
    }
}
