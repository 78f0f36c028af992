using Microsoft.EntityFrameworkCore;

namespace Songjiang.Persistence;

/// <summary>Puts a service's reference data into its database at start; must be safe to run on every start.</summary>
public interface IDatabaseSeeder<in TContext> where TContext : DbContext
{
    /// <summary>Adds what is missing; leaves what exists.</summary>
    Task SeedAsync(TContext db, CancellationToken cancellationToken);
}
