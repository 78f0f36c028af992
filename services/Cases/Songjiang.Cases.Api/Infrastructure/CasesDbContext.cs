using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
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

    /// <summary>Steps of applications another G60 city handles, as the exchange reported them.</summary>
    public DbSet<ForwardingStep> ForwardingSteps => Set<ForwardingStep>();

    /// <summary>The work list.</summary>
    public DbSet<CaseTask> Tasks => Set<CaseTask>();

    /// <summary>The audit history of work-list tasks.</summary>
    public DbSet<TaskEvent> TaskEvents => Set<TaskEvent>();

    /// <summary>Caseworkers' saved drafts of task opinions and forms.</summary>
    public DbSet<TaskDraft> TaskDrafts => Set<TaskDraft>();

    /// <summary>Uploaded materials.</summary>
    public DbSet<Upload> Uploads => Set<Upload>();

    /// <summary>好差评 ratings, one per application and channel, with their follow-up and appeal.</summary>
    public DbSet<Rating> Ratings => Set<Rating>();

    /// <summary>Per-day counters behind application numbers.</summary>
    public DbSet<ApplicationCounter> Counters => Set<ApplicationCounter>();

    // Grades stored by name inside the JSON columns, like the enum columns.
    private static readonly JsonSerializerOptions RatingJson = new() { Converters = { new JsonStringEnumConverter() } };

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

        modelBuilder.Entity<ForwardingStep>(step =>
        {
            step.ToTable("forwarding_steps");
            step.HasKey(f => f.Id);
            step.Property(f => f.Id).ValueGeneratedNever();
            step.HasIndex(f => new { f.ApplicationId, f.Key }).IsUnique();
            step.Property(f => f.Key).HasMaxLength(64);
            step.Property(f => f.Event).HasMaxLength(32);
            step.Property(f => f.Title).HasMaxLength(100);
            step.Property(f => f.Detail).HasMaxLength(2000);
            step.Property(f => f.City).HasMaxLength(6);
        });

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
            application.Property(a => a.HandledByCity).HasMaxLength(6);
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
            // The work list: a department's open tasks in deadline order, with the columns its filters read (roles, the
            // named signer, the holder), so that counting and paging read the index and one page of rows.
            task.HasIndex(t => new { t.Department, t.Status, t.DueAt, t.OpenedAt, t.Roles, t.AssignedTo, t.ClaimedBy })
                .HasDatabaseName("IX_case_tasks_work_list");
            task.HasIndex(t => t.ApplicationId);
            task.Property(t => t.AssignedTo).HasMaxLength(128);
            task.Ignore(t => t.RoleList);
            task.Ignore(t => t.ActionList);
        });

        modelBuilder.Entity<TaskEvent>(e =>
        {
            e.ToTable("case_task_events");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.ApplicationNumber).HasMaxLength(32);
            e.Property(x => x.Kind).HasMaxLength(24);
            e.Property(x => x.Step).HasMaxLength(200);
            e.Property(x => x.ActorId).HasMaxLength(128);
            e.Property(x => x.ActorName).HasMaxLength(100);
            e.Property(x => x.Department).HasMaxLength(64);
            e.Property(x => x.Detail).HasMaxLength(2000);
            e.HasIndex(x => new { x.ApplicationId, x.At });
            e.HasIndex(x => x.TaskId);
        });

        modelBuilder.Entity<TaskDraft>(d =>
        {
            d.ToTable("case_task_drafts");
            d.HasKey(x => new { x.TaskId, x.Owner });
            d.Property(x => x.Owner).HasMaxLength(128);
            d.Property(x => x.Action).HasMaxLength(32);
            d.Property(x => x.Opinion).HasMaxLength(2000);
            d.Property(x => x.Form).HasMaxLength(65536);
        });

        modelBuilder.Entity<Rating>(rating =>
        {
            rating.ToTable("ratings");
            rating.HasKey(r => r.Id);
            rating.HasIndex(r => new { r.ApplicationId, r.Channel }).IsUnique();
            rating.HasIndex(r => new { r.Department, r.RatedAt });
            rating.HasIndex(r => new { r.MatterCode, r.RatedAt });
            rating.HasIndex(r => r.FollowUpCorrelation).IsUnique();
            rating.Property(r => r.ApplicationNumber).HasMaxLength(32);
            rating.Property(r => r.MatterCode).HasMaxLength(32);
            rating.Property(r => r.MatterName).HasMaxLength(200);
            rating.Property(r => r.Department).HasMaxLength(64);
            rating.Property(r => r.ApplicantUscc).HasMaxLength(18);
            rating.Property(r => r.ApplicantName).HasMaxLength(200);
            rating.Property(r => r.Channel).HasConversion<string>().HasMaxLength(16);
            rating.Property(r => r.Grade).HasConversion<string>().HasMaxLength(24);
            rating.Property(r => r.FollowUpGrade).HasConversion<string>().HasMaxLength(24);
            rating.Property(r => r.FollowUp).HasConversion<string>().HasMaxLength(24);
            rating.Property(r => r.Appeal).HasConversion<string>().HasMaxLength(16);
            rating.Property(r => r.Dimensions).HasConversion(
                d => JsonSerializer.Serialize(d, RatingJson),
                json => JsonSerializer.Deserialize<Dictionary<string, RatingGrade>>(json, RatingJson) ?? new Dictionary<string, RatingGrade>(),
                new ValueComparer<Dictionary<string, RatingGrade>>(
                    (a, b) => JsonSerializer.Serialize(a, RatingJson) == JsonSerializer.Serialize(b, RatingJson),
                    d => JsonSerializer.Serialize(d, RatingJson).GetHashCode(StringComparison.Ordinal),
                    d => new Dictionary<string, RatingGrade>(d)))
                .HasMaxLength(400);
            rating.Property(r => r.Reasons).HasConversion(
                r => JsonSerializer.Serialize(r, RatingJson),
                json => JsonSerializer.Deserialize<List<string>>(json, RatingJson) ?? new List<string>(),
                new ValueComparer<List<string>>((a, b) => a!.SequenceEqual(b!), r => string.Join(',', r).GetHashCode(StringComparison.Ordinal), r => r.ToList()))
                .HasMaxLength(1000);
            rating.Property(r => r.Comment).HasMaxLength(1000);
            rating.Property(r => r.RatedBy).HasMaxLength(128);
            rating.Property(r => r.CalledBackBy).HasMaxLength(128);
            rating.Property(r => r.CallBackNote).HasMaxLength(2000);
            rating.Property(r => r.RectifiedBy).HasMaxLength(128);
            rating.Property(r => r.RectificationNote).HasMaxLength(2000);
            rating.Property(r => r.FollowUpCorrelation).HasMaxLength(96);
            rating.Property(r => r.FollowUpComment).HasMaxLength(1000);
            rating.Property(r => r.AppealReason).HasMaxLength(2000);
            rating.Property(r => r.AppealedBy).HasMaxLength(128);
            rating.Property(r => r.AppealDecidedBy).HasMaxLength(128);
            rating.Property(r => r.AppealDecisionReason).HasMaxLength(2000);
            rating.Property(r => r.Version).IsConcurrencyToken();
            rating.Ignore(r => r.Poor);
            rating.Ignore(r => r.Counts);
            rating.Ignore(r => r.AcceptsFollowUpRating);
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
