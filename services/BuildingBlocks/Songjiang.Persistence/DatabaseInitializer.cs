using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Songjiang.Persistence.Migrations;
using Songjiang.ServiceDefaults.Storage;

namespace Songjiang.Persistence;

/// <summary>
/// Migrates the service's schema and runs its seeders before the service accepts requests (hosted services start
/// before the server listens), one replica at a time.
/// </summary>
internal sealed class DatabaseInitializer<TContext>(IServiceProvider services, ILogger<DatabaseInitializer<TContext>> logger)
    : IHostedService where TContext : DbContext
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();

        if (db.Database.IsSqlite())
        {
            // WAL lets readers proceed while one writer commits; the pragma persists in the file.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            await db.Database.CloseConnectionAsync();
        }

        await DatabaseMigrations.MigrateAsync(db, async ct =>
        {
            foreach (var seeder in scope.ServiceProvider.GetServices<IDatabaseSeeder<TContext>>())
            {
                await seeder.SeedAsync(db, ct);
            }
        }, logger, cancellationToken);
        logger.LogInformation("Database for {Context} is up to date ({Provider})", typeof(TContext).Name, db.Database.ProviderName);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal static class SqliteConnectionStrings
{
    /// <summary>
    /// Makes sure the folder of a SQLite file exists, so a fresh data directory just works, and that the folder (0700)
    /// and the file (0600, which SQLite passes on to its WAL and journal) are readable by this account only.
    /// </summary>
    public static void EnsureFolderExists(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var dataSource = builder.DataSource;
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
        {
            return;
        }

        var path = Path.GetFullPath(dataSource);
        var folder = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder))
        {
            PrivateFiles.CreateDirectory(folder);
        }
        PrivateFiles.Touch(path);
    }
}
