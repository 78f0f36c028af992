using Microsoft.EntityFrameworkCore;
using Songjiang.Enterprises.Api.Domain;
using Songjiang.EventBus;
using Songjiang.Persistence;

namespace Songjiang.Enterprises.Api.Infrastructure;

/// <summary>The enterprise service's own database: profiles, qualifications, credit records and the timeline.</summary>
public sealed class EnterprisesDbContext(DbContextOptions<EnterprisesDbContext> options) : DbContext(options)
{
    /// <summary>Profiles.</summary>
    public DbSet<Enterprise> Enterprises => Set<Enterprise>();

    /// <summary>Credit records.</summary>
    public DbSet<CreditRecord> CreditRecords => Set<CreditRecord>();

    /// <summary>Timeline and audit entries.</summary>
    public DbSet<TimelineEntry> Timeline => Set<TimelineEntry>();

    /// <summary>Enterprises' applications as the cases service's events report them, for account managers.</summary>
    public DbSet<TrackedApplication> TrackedApplications => Set<TrackedApplication>();

    /// <summary>Broken commitments already entered in the credit records, one per application.</summary>
    public DbSet<CommitmentBreach> CommitmentBreaches => Set<CommitmentBreach>();

    /// <summary>The register's sequences of unified social credit codes.</summary>
    public DbSet<RegisterSequence> RegisterSequences => Set<RegisterSequence>();

    /// <inheritdoc />
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.UsePortableDateTimeOffsets(this);

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddEventBus();

        modelBuilder.Entity<RegisterSequence>(sequence =>
        {
            sequence.ToTable("register_sequences");
            sequence.HasKey(s => s.Division);
            sequence.Property(s => s.Division).HasMaxLength(6);
        });

        modelBuilder.Entity<Enterprise>(enterprise =>
        {
            enterprise.ToTable("enterprises");
            enterprise.HasKey(e => e.Uscc);
            enterprise.Property(e => e.Uscc).HasMaxLength(18);
            enterprise.Property(e => e.Name).HasMaxLength(200);
            enterprise.Property(e => e.LegalRepresentative).HasMaxLength(100);
            enterprise.Property(e => e.RegisteredAddress).HasMaxLength(300);
            enterprise.Property(e => e.Location).HasMaxLength(20);
            enterprise.Property(e => e.IndustryCode).HasMaxLength(5);
            enterprise.Property(e => e.Stage).HasConversion<string>().HasMaxLength(20);
            enterprise.Property(e => e.CreditRating).HasConversion<string>().HasMaxLength(1);
            enterprise.Property(e => e.Version).IsConcurrencyToken();
            enterprise.Ignore(e => e.SizeClass);
            enterprise.Ignore(e => e.RdRatio);
            enterprise.OwnsOne(e => e.AccountManager, manager =>
            {
                manager.Property(m => m.UserId).HasColumnName("account_manager_id").HasMaxLength(64);
                manager.Property(m => m.Name).HasColumnName("account_manager_name").HasMaxLength(100);
                manager.Property(m => m.Department).HasColumnName("account_manager_department").HasMaxLength(64);
                manager.HasIndex(m => m.UserId);
            });
            enterprise.OwnsMany(e => e.Qualifications, qualification =>
            {
                qualification.ToTable("qualifications");
                qualification.WithOwner().HasForeignKey("Uscc");
                qualification.HasKey(q => q.Id);
                // Ids are made by the domain; a new qualification found in the collection is an insert.
                qualification.Property(q => q.Id).ValueGeneratedNever();
                qualification.Property(q => q.Kind).HasMaxLength(40);
                qualification.Property(q => q.CertificateNumber).HasMaxLength(64);
            });
            enterprise.HasIndex(e => e.Stage);
            enterprise.HasIndex(e => e.Location);
            enterprise.HasIndex(e => e.IndustryCode);
        });

        modelBuilder.Entity<CreditRecord>(record =>
        {
            record.ToTable("credit_records");
            record.HasKey(r => r.Id);
            record.HasIndex(r => r.Uscc);
            record.Property(r => r.Kind).HasConversion<string>().HasMaxLength(30);
            record.Property(r => r.Reason).HasMaxLength(500);
        });

        modelBuilder.Entity<TimelineEntry>(entry =>
        {
            entry.ToTable("timeline");
            entry.HasKey(t => t.Id);
            entry.HasIndex(t => new { t.Uscc, t.At });
            entry.Property(t => t.Action).HasMaxLength(40);
        });

        modelBuilder.Entity<TrackedApplication>(application =>
        {
            application.ToTable("tracked_applications");
            application.HasKey(a => a.ApplicationId);
            application.Property(a => a.ApplicationId).ValueGeneratedNever();
            application.Property(a => a.Number).HasMaxLength(40);
            application.Property(a => a.ParentNumber).HasMaxLength(40);
            application.Property(a => a.MatterCode).HasMaxLength(40);
            application.Property(a => a.BundleCode).HasMaxLength(40);
            application.Property(a => a.Name).HasMaxLength(200);
            application.Property(a => a.ApplicantUscc).HasMaxLength(18);
            application.Property(a => a.Status).HasConversion<string>().HasMaxLength(30);
            application.Property(a => a.Outcome).HasMaxLength(20);
            application.Property(a => a.Version).IsConcurrencyToken();
            application.Ignore(a => a.IsOpen);
            application.HasIndex(a => new { a.ApplicantUscc, a.Status });
            application.HasIndex(a => a.ParentNumber);
        });

        modelBuilder.Entity<CommitmentBreach>(breach =>
        {
            breach.ToTable("commitment_breaches");
            breach.HasKey(b => b.ApplicationId);
            breach.Property(b => b.ApplicationId).ValueGeneratedNever();
            breach.Property(b => b.Uscc).HasMaxLength(18);
        });
    }
}
