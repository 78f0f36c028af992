using Microsoft.EntityFrameworkCore;

namespace Songjiang.Persistence.Migrations;

/// <summary>
/// Options for a service's design-time context factory (what <c>dotnet ef migrations add</c> uses): the engine
/// comes from the arguments after <c>--</c> (<c>--provider Sqlite|Postgres</c>); no database is contacted.
/// </summary>
public static class DesignTimeDatabase
{
    /// <summary>The options of <typeparamref name="TContext"/> for the engine named in <paramref name="args"/>.</summary>
    public static DbContextOptions<TContext> Options<TContext>(string[] args) where TContext : DbContext
    {
        var provider = DatabaseProvider.Sqlite;
        var index = Array.FindIndex(args, a => a is "--provider" or "-p");
        if (index >= 0 && index + 1 < args.Length)
        {
            provider = Enum.Parse<DatabaseProvider>(args[index + 1], ignoreCase: true);
        }

        var connectionString = provider == DatabaseProvider.Postgres
            ? "Host=localhost;Database=design_time"
            : "Data Source=design-time.db";
        return (DbContextOptions<TContext>)new DbContextOptionsBuilder<TContext>()
            .UseServiceDatabase(provider, connectionString)
            .Options;
    }
}
