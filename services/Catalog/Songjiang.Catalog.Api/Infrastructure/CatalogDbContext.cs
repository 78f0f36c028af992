using Microsoft.EntityFrameworkCore;
using Songjiang.Catalog.Api.Domain;
using Songjiang.Persistence;

namespace Songjiang.Catalog.Api.Infrastructure;

/// <summary>The catalog's own database: every version of every matter and bundle.</summary>
public sealed class CatalogDbContext(DbContextOptions<CatalogDbContext> options) : DbContext(options)
{
    /// <summary>Matter versions.</summary>
    public DbSet<Matter> Matters => Set<Matter>();

    /// <summary>Bundle versions.</summary>
    public DbSet<Bundle> Bundles => Set<Bundle>();

    /// <inheritdoc />
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.UsePortableDateTimeOffsets(this);

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Matter>(matter =>
        {
            matter.ToTable("matters");
            matter.HasKey(m => m.Id);
            matter.Property(m => m.Id).ValueGeneratedNever();
            matter.HasIndex(m => new { m.Code, m.Version }).IsUnique();
            matter.HasIndex(m => new { m.IsCurrent, m.Department });
            matter.Property(m => m.Code).HasMaxLength(32);
            matter.Property(m => m.Name).HasMaxLength(200);
            matter.Property(m => m.Department).HasMaxLength(40);
            matter.Property(m => m.WorkflowDefinition).HasMaxLength(64);
            matter.Property(m => m.ApprovingCity).HasMaxLength(6);
            matter.Property(m => m.ApprovingCityMatterCode).HasMaxLength(32);
            matter.OwnsMany(m => m.Materials, material => material.ToJson());
        });

        modelBuilder.Entity<Bundle>(bundle =>
        {
            bundle.ToTable("bundles");
            bundle.HasKey(b => b.Id);
            bundle.Property(b => b.Id).ValueGeneratedNever();
            bundle.HasIndex(b => new { b.Code, b.Version }).IsUnique();
            bundle.Property(b => b.Code).HasMaxLength(32);
            bundle.Property(b => b.Name).HasMaxLength(200);
        });
    }
}
