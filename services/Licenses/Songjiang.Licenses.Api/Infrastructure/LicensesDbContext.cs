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

    /// <summary>Status history.</summary>
    public DbSet<LicenceStatusChange> StatusChanges => Set<LicenceStatusChange>();

    /// <summary>Our sealing keys (embedded key mode).</summary>
    public DbSet<SealKey> SealKeys => Set<SealKey>();

    /// <summary>The trust list of partner issuers' keys.</summary>
    public DbSet<TrustedKey> TrustedKeys => Set<TrustedKey>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddEventBus(); // outbox and inbox tables
        modelBuilder.Entity<IssuingAuthority>(entity =>
        {
            entity.HasKey(a => a.Code);
            entity.HasIndex(a => a.Department);
        });
        modelBuilder.Entity<LicenceType>(entity =>
        {
            entity.HasKey(t => t.Code);
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
            entity.HasIndex(l => l.ApplicationId).IsUnique();
            entity.HasIndex(l => l.StatusListIndex).IsUnique();
            entity.HasIndex(l => new { l.HolderUscc, l.IssueDate });
            entity.HasIndex(l => new { l.AuthorityCode, l.IssueDate });
            entity.Property(l => l.Status).HasConversion<string>().HasMaxLength(16);
            entity.Property(l => l.Version).IsConcurrencyToken();
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
