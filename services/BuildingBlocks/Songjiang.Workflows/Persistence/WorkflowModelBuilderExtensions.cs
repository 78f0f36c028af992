using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Songjiang.Workflows.Persistence;

namespace Songjiang.Workflows;

/// <summary>Adds the runtime's tables to a host's DbContext model.</summary>
public static class WorkflowModelBuilderExtensions
{
    // Instants are stored as Unix milliseconds: SQLite cannot order or compare DateTimeOffset columns, and the
    // timer claim is plain SQL that must read the same on both providers.
    private static readonly ValueConverter<DateTimeOffset, long> Instant =
        new(v => v.ToUnixTimeMilliseconds(), v => DateTimeOffset.FromUnixTimeMilliseconds(v));

    private static readonly ValueConverter<DateTimeOffset?, long?> OptionalInstant =
        new(v => v.HasValue ? v.Value.ToUnixTimeMilliseconds() : null,
            v => v.HasValue ? DateTimeOffset.FromUnixTimeMilliseconds(v.Value) : null);

    /// <summary>
    /// Maps definitions, instances (with a version column), tokens, bookmarks, timers and the journal as tables
    /// prefixed <c>wf_</c>. Call it from the host's <c>OnModelCreating</c>.
    /// </summary>
    public static ModelBuilder AddWorkflows(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<DefinitionRecord>(e =>
        {
            e.ToTable("wf_definitions").HasKey(d => new { d.Name, d.Version });
            Columns(e);
        });
        modelBuilder.Entity<InstanceRecord>(e =>
        {
            e.ToTable("wf_instances").HasKey(i => i.Id);
            e.Property(i => i.Version).IsConcurrencyToken();
            e.HasIndex(i => i.CorrelationId);
            e.HasIndex(i => i.ParentInstanceId);
            Columns(e);
        });
        modelBuilder.Entity<TokenRecord>(e =>
        {
            e.ToTable("wf_tokens").HasKey(t => t.Id);
            // Only waiting tokens are looked up; finished ones stay out of the indexes (cheaper writes).
            e.HasIndex(t => t.InstanceId).HasFilter("status = 0");
            e.HasIndex(t => t.Department).HasFilter("status = 0");
            Columns(e);
        });
        modelBuilder.Entity<BookmarkRecord>(e =>
        {
            e.ToTable("wf_bookmarks").HasKey(b => b.Id);
            e.HasIndex(b => new { b.EventName, b.CorrelationKey });
            e.HasIndex(b => b.InstanceId);
            Columns(e);
        });
        modelBuilder.Entity<TimerRecord>(e =>
        {
            e.ToTable("wf_timers").HasKey(t => t.Id);
            // The claim scans pending timers by due time; fired and cancelled ones never need the index.
            e.HasIndex(t => t.DueAt).HasFilter("status = 0");
            e.HasIndex(t => t.InstanceId);
            Columns(e);
        });
        modelBuilder.Entity<JournalRecord>(e =>
        {
            e.ToTable("wf_journal").HasKey(j => new { j.InstanceId, j.Step });
            Columns(e);
        });
        return modelBuilder;
    }

    /// <summary>snake_case column names, so the hand-written timer claim SQL is the same on every provider.</summary>
    private static void Columns<T>(EntityTypeBuilder<T> entity) where T : class
    {
        foreach (var property in entity.Metadata.GetDeclaredProperties())
        {
            var builder = entity.Property(property.Name);
            builder.HasColumnName(SnakeCase(property.Name));
            if (property.ClrType == typeof(DateTimeOffset)) builder.HasConversion(Instant);
            else if (property.ClrType == typeof(DateTimeOffset?)) builder.HasConversion(OptionalInstant);
        }
    }

    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
