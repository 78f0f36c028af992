using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Songjiang.Identity.Api.Accounts;
using Songjiang.Identity.Api.Throttling;
using Songjiang.Persistence;
using Songjiang.EventBus;

namespace Songjiang.Identity.Api.Infrastructure;

/// <summary>The identity service's database: user accounts and OpenIddict's applications, scopes, authorizations and tokens.</summary>
public sealed class IdentityDbContext(DbContextOptions<IdentityDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>The token service's signing and encryption keys, wrapped.</summary>
    public DbSet<IdentityKey> Keys => Set<IdentityKey>();

    /// <summary>The Data Protection key ring of the sign-in cookie and antiforgery, wrapped.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>User accounts.</summary>
    public DbSet<UserAccount> Users => Set<UserAccount>();

    /// <summary>Failed sign-ins and token requests per account, client and source address (login throttling).</summary>
    public DbSet<AttemptCounter> AttemptCounters => Set<AttemptCounter>();

    /// <inheritdoc />
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.UsePortableDateTimeOffsets(this);

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.UseOpenIddict();
        modelBuilder.AddEventBus();

        modelBuilder.Entity<UserAccount>(user =>
        {
            user.ToTable("user_accounts");
            user.HasKey(u => u.Id);
            user.HasIndex(u => u.UserName).IsUnique();
            user.Property(u => u.UserName).HasMaxLength(64);
            user.Property(u => u.DisplayName).HasMaxLength(200);
            user.Property(u => u.Uscc).HasMaxLength(18);
            user.Property(u => u.Department).HasMaxLength(64);
            user.Property(u => u.CityCode).HasMaxLength(6);
            user.PrimitiveCollection(u => u.Roles);
            user.PrimitiveCollection(u => u.ActsFor);
        });

        modelBuilder.Entity<IdentityKey>(key =>
        {
            key.ToTable("identity_keys");
            key.HasKey(k => k.Name);
            key.Property(k => k.Name).HasMaxLength(64);
        });

        modelBuilder.Entity<AttemptCounter>(counter =>
        {
            counter.ToTable("attempt_counters");
            counter.HasKey(c => c.Key);
            counter.Property(c => c.Key).HasMaxLength(200);
        });
    }
}
