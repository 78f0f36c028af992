using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Songjiang.Persistence;

namespace Songjiang.Portal.Infrastructure;

/// <summary>
/// The portal's own data: the data-protection key ring and the sign-in sessions, shared by every replica so that
/// a cookie issued by one is read by another.
/// </summary>
public sealed class PortalDbContext(DbContextOptions<PortalDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    /// <inheritdoc />
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Server-side sessions: the authentication ticket with its tokens, protected, by session key.</summary>
    public DbSet<PortalSession> Sessions => Set<PortalSession>();

    /// <inheritdoc />
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.UsePortableDateTimeOffsets(this);

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<PortalSession>(session =>
        {
            session.ToTable("sessions");
            session.HasKey(s => s.Key);
            session.Property(s => s.Key).HasMaxLength(64);
            session.Property(s => s.Subject).HasMaxLength(100);
            session.HasIndex(s => s.ExpiresAt);
            session.HasIndex(s => s.Subject);
        });
    }
}

/// <summary>One signed-in browser: the cookie carries only <see cref="Key"/>.</summary>
public sealed class PortalSession
{
    /// <summary>The random session key the cookie carries.</summary>
    public string Key { get; set; } = "";

    /// <summary>The user's subject, to end every session of a user.</summary>
    public string Subject { get; set; } = "";

    /// <summary>The ticket (claims, tokens, expiry), serialised and protected with data protection.</summary>
    public byte[] Ticket { get; set; } = [];

    /// <summary>When the session ends unless renewed.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Last written.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}
