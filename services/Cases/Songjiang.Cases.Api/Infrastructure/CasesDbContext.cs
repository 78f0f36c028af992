using Microsoft.EntityFrameworkCore;
using Songjiang.Cases.Api.Domain;
using Songjiang.Cases.Api.Storage;
using Songjiang.EventBus;
using Songjiang.Persistence;
using Songjiang.Workflows;

namespace Songjiang.Cases.Api.Infrastructure;

/// <summary>
/// The cases service's database: applications, the work list, uploads, the workflow runtime's tables and the
/// outbox and inbox, so that a case, its workflow step and the events they cause commit together.
/// </summary>
public sealed class CasesDbContext(DbContextOptions<CasesDbContext> options) : DbContext(options)
{
    /// <summary>Applications (办件).</summary>
    public DbSet<Application> Applications => Set<Application>();

    /// <summary>The work list.</summary>
    public DbSet<CaseTask> Tasks => Set<CaseTask>();

    /// <summary>Uploaded materials.</summary>
    public DbSet<Upload> Uploads => Set<Upload>();

    /// <summary>Per-day counters behind application numbers.</summary>
    public DbSet<ApplicationCounter> Counters => Set<ApplicationCounter>();

    /// <inheritdoc />
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.UsePortableDateTimeOffsets(this);

    /// <summary>Uploaded content, when materials are kept in the database.</summary>
    public DbSet<MaterialContent> MaterialContents => Set<MaterialContent>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<MaterialContent>(content =>
        {
            content.ToTable("material_contents");
            content.HasKey(c => c.Key);
            content.Property(c => c.Key).HasMaxLength(32);
        });

        modelBuilder.AddEventBus();
        modelBuilder.AddWorkflows();

        modelBuilder.Entity<Application>(application =>
        {
            application.ToTable("applications");
            application.HasKey(a => a.Id);
            application.Property(a => a.Number).HasMaxLength(32);
            application.HasIndex(a => a.Number).IsUnique();
            application.Property(a => a.Correlation).HasMaxLength(64);
            application.HasIndex(a => a.Correlation).IsUnique();
            application.Property(a => a.ParentNumber).HasMaxLength(32);
            application.HasIndex(a => a.ParentId);
            application.Property(a => a.Kind).HasConversion<string>().HasMaxLength(16);
            application.Property(a => a.Channel).HasConversion<string>().HasMaxLength(16);
            application.Property(a => a.Status).HasConversion<string>().HasMaxLength(24);
            application.Property(a => a.MatterCode).HasMaxLength(32);
            application.Property(a => a.BundleCode).HasMaxLength(32);
            application.Property(a => a.Name).HasMaxLength(200);
            application.Property(a => a.Department).HasMaxLength(64);
            application.Property(a => a.Workflow).HasMaxLength(64);
            application.Property(a => a.ApplicantUscc).HasMaxLength(18);
            application.HasIndex(a => new { a.ApplicantUscc, a.SubmittedAt });
            application.Property(a => a.ApplicantName).HasMaxLength(200);
            application.Property(a => a.SubmittedBy).HasMaxLength(128);
            application.Property(a => a.IdempotencyKey).HasMaxLength(128);
            application.HasIndex(a => new { a.SubmittedBy, a.IdempotencyKey }).IsUnique();
            application.HasIndex(a => a.OfferId).IsUnique();
            application.Property(a => a.Outcome).HasMaxLength(24);
            application.Property(a => a.Reason).HasMaxLength(2000);
            application.Property(a => a.AssignedUscc).HasMaxLength(18);
            application.Property(a => a.RatingComment).HasMaxLength(1000);
            application.HasIndex(a => new { a.MatterCode, a.Status });
            application.Property(a => a.Version).IsConcurrencyToken();
            application.Ignore(a => a.IsOpen);
            application.OwnsMany(a => a.Results, result =>
            {
                result.ToTable("application_results");
                result.WithOwner().HasForeignKey("ApplicationId");
                result.Property<int>("Id");
                result.HasKey("Id");
                result.Property(r => r.LicenceNumber).HasMaxLength(64);
                result.Property(r => r.TypeCode).HasMaxLength(64);
                result.HasIndex(r => r.LicenceNumber).IsUnique();
            });
            application.OwnsMany(a => a.Materials, material =>
            {
                material.ToTable("application_materials");
                material.WithOwner().HasForeignKey("ApplicationId");
                material.Property<int>("Id");
                material.HasKey("Id");
                material.Property(m => m.Code).HasMaxLength(64);
                material.Property(m => m.Name).HasMaxLength(200);
                material.Property(m => m.Source).HasConversion<string>().HasMaxLength(16);
                material.Property(m => m.FileName).HasMaxLength(255);
                material.Property(m => m.ContentType).HasMaxLength(100);
                material.Property(m => m.Sha256).HasMaxLength(64);
                material.Property(m => m.LicenceNumber).HasMaxLength(64);
                material.Property(m => m.LicenceType).HasMaxLength(64);
            });
        });

        modelBuilder.Entity<CaseTask>(task =>
        {
            task.ToTable("case_tasks");
            task.HasKey(t => t.Id);
            task.Property(t => t.Id).ValueGeneratedNever();
            task.Property(t => t.ApplicationNumber).HasMaxLength(32);
            task.Property(t => t.ApplicationName).HasMaxLength(200);
            task.Property(t => t.MatterCode).HasMaxLength(32);
            task.Property(t => t.ApplicantUscc).HasMaxLength(18);
            task.Property(t => t.NodeId).HasMaxLength(64);
            task.Property(t => t.Title).HasMaxLength(200);
            task.Property(t => t.Department).HasMaxLength(64);
            task.Property(t => t.Roles).HasMaxLength(200);
            task.Property(t => t.Actions).HasMaxLength(200);
            task.Property(t => t.Status).HasConversion<string>().HasMaxLength(16);
            task.Property(t => t.ClaimedBy).HasMaxLength(128);
            task.Property(t => t.ClaimedByName).HasMaxLength(100);
            task.Property(t => t.CompletedBy).HasMaxLength(128);
            task.Property(t => t.Action).HasMaxLength(32);
            task.Property(t => t.Opinion).HasMaxLength(2000);
            task.Property(t => t.Version).IsConcurrencyToken();
            task.HasIndex(t => new { t.Department, t.Status, t.DueAt });
            task.HasIndex(t => t.ApplicationId);
            task.Ignore(t => t.RoleList);
            task.Ignore(t => t.ActionList);
        });

        modelBuilder.Entity<Upload>(upload =>
        {
            upload.ToTable("uploads");
            upload.HasKey(u => u.Id);
            upload.Property(u => u.Owner).HasMaxLength(128);
            upload.Property(u => u.FileName).HasMaxLength(255);
            upload.Property(u => u.ContentType).HasMaxLength(100);
            upload.Property(u => u.Sha256).HasMaxLength(64);
            upload.Property(u => u.StorageKey).HasMaxLength(200);
        });

        modelBuilder.Entity<ApplicationCounter>(counter =>
        {
            counter.ToTable("application_counters");
            counter.HasKey(c => c.Day);
            counter.Property(c => c.Day).HasMaxLength(8);
        });
    }
}

/// <summary>The last number handed out on one day (Asia/Shanghai).</summary>
public sealed class ApplicationCounter
{
    /// <summary>The day, <c>yyyyMMdd</c>.</summary>
    public required string Day { get; init; }

    /// <summary>The last sequence number used.</summary>
    public long Value { get; set; }
}
