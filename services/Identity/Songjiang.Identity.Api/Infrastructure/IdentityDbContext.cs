using Microsoft.EntityFrameworkCore;
using Songjiang.Identity.Api.Accounts;

namespace Songjiang.Identity.Api.Infrastructure;

/// <summary>The identity service's database: user accounts and OpenIddict's applications, scopes, authorizations and tokens.</summary>
public sealed class IdentityDbContext(DbContextOptions<IdentityDbContext> options) : DbContext(options)
{
    /// <summary>User accounts.</summary>
    public DbSet<UserAccount> Users => Set<UserAccount>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.UseOpenIddict();

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
        });
    }
}
