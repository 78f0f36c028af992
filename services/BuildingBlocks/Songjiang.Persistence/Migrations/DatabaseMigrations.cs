using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Songjiang.Persistence.Migrations;

/// <summary>Brings a service's database to its latest migration; safe when several replicas start together.</summary>
public static class DatabaseMigrations
{
    /// <summary>
    /// Under the database's migration lock: records the first migration as applied on a database whose schema
    /// was made by <c>EnsureCreated</c> before migrations existed (it has the tables but no history), applies the
    /// migrations not yet applied, on SQLite rewrites instants stored with an offset at offset zero
    /// (<see cref="SqliteInstants"/>), then runs <paramref name="afterMigration"/> (the seeders) still under the lock.
    /// </summary>
    public static async Task MigrateAsync(DbContext db, Func<CancellationToken, Task>? afterMigration = null,
        ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        logger ??= NullLogger.Instance;
        await using (await MigrationLock.AcquireAsync(db, cancellationToken))
        {
            // A fresh database gets its (empty) history table first: EF Core would otherwise query the missing
            // table (Npgsql reports it present) and log a failed command at every first start.
            if (!await BaselineAsync(db, logger, cancellationToken))
            {
                await db.Database.ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), cancellationToken);
            }
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                logger.LogInformation("Applying {Count} migration(s) to the {Context} database: {Migrations}",
                    pending.Count, db.GetType().Name, string.Join(", ", pending));
                await db.Database.MigrateAsync(cancellationToken);
            }
            if (db.Database.IsSqlite())
            {
                await SqliteInstants.NormalizeAsync(db, cancellationToken);
            }

            if (afterMigration is not null)
            {
                await afterMigration(cancellationToken);
            }
        }
    }

    /// <summary>
    /// A database created by <c>EnsureCreated</c> (every database before migrations) has exactly the first
    /// migration's schema: record that migration as applied so that only the later ones run. Returns whether the
    /// database has a migration history table (now).
    /// </summary>
    private static async Task<bool> BaselineAsync(DbContext db, ILogger logger, CancellationToken cancellationToken)
    {
        // Looked up directly: Npgsql's history repository reports the table as present before it is created.
        var history = db.GetService<IHistoryRepository>();
        if (await AnyTableExistsAsync(db, [HistoryRepository.DefaultTableName], cancellationToken))
        {
            return true;
        }

        var migrations = db.GetService<IMigrationsAssembly>();
        if (migrations.Migrations.Count == 0)
        {
            return false;
        }

        var (initialId, initialType) = migrations.Migrations.First();
        var initial = migrations.CreateMigration(initialType, db.Database.ProviderName!);
        var tables = initial.TargetModel?.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct().ToList() ?? [];
        if (tables.Count == 0 || !await AnyTableExistsAsync(db, tables, cancellationToken))
        {
            return false;
        }

        logger.LogWarning("The {Context} database has tables but no migration history: it was created before migrations; recording {Migration} as applied",
            db.GetType().Name, initialId);
        await db.Database.ExecuteSqlRawAsync(history.GetCreateIfNotExistsScript(), cancellationToken);
        await db.Database.ExecuteSqlRawAsync(history.GetInsertScript(new HistoryRow(initialId, ProductInfo.GetVersion())), cancellationToken);
        return true;
    }

    private static async Task<bool> AnyTableExistsAsync(DbContext db, IReadOnlyList<string> tables, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(cancellationToken);
        }
        try
        {
            foreach (var table in tables)
            {
                await using var command = connection.CreateCommand();
                var postgres = db.Database.IsNpgsql();
                command.CommandText = postgres
                    ? "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = $1"
                    : "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = @name";
                var parameter = command.CreateParameter();
                parameter.ParameterName = postgres ? "" : "@name";
                parameter.Value = table;
                command.Parameters.Add(parameter);
                if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0)
                {
                    return true;
                }
            }
            return false;
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }

}
