using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Songjiang.Persistence.Migrations;
using Songjiang.ServiceDefaults.Health;

namespace Songjiang.Persistence;

/// <summary>Registers a service's own database, with the engine chosen by configuration.</summary>
public static class PersistenceExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TContext"/> on SQLite or PostgreSQL (<c>Database:Provider</c>), migrates its
    /// schema and seeds it at start (behind a lock, see <see cref="DatabaseMigrations"/>), and adds a readiness check that queries it.
    /// </summary>
    /// <param name="builder">The service's builder.</param>
    /// <param name="connectionName">
    /// The name under <c>ConnectionStrings</c>; for SQLite without a connection string, the file
    /// <c>{DataDirectory}/{connectionName}.db</c>.
    /// </param>
    public static IHostApplicationBuilder AddServiceDatabase<TContext>(this IHostApplicationBuilder builder, string connectionName)
        where TContext : DbContext
    {
        var options = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = ResolveConnectionString(builder.Configuration, options, connectionName);

        // Pooled: a request or an event handler takes a context that is reset, not built. Building one (its options and
        // EF Core's internal services) cost about 60 KB and most of the CPU of a one-row commit (bench/README.md).
        builder.Services.AddDbContextPool<TContext>(db => db.UseServiceDatabase(options.Provider, connectionString));
        // First of all hosted services: others (Data Protection's key ring, read models) may read the database at start.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, DatabaseInitializer<TContext>>());
        builder.Services.AddHealthChecks().AddDbContextCheck<TContext>("database", tags: [HealthEndpoints.ReadyTag]);
        return builder;
    }

    /// <summary>
    /// Points a context at its engine, with the migrations kept for that engine (<see cref="MigrationSets"/>).
    /// </summary>
    public static DbContextOptionsBuilder UseServiceDatabase(this DbContextOptionsBuilder db, DatabaseProvider provider, string connectionString)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            db.UseNpgsql(connectionString);
        }
        else
        {
            db.UseSqlite(connectionString).AddInterceptors(SqliteBusyTimeout.Instance);
        }

        // EF Core logs every failed command and save as an error, also the races a service expects and settles by
        // retrying: a key two writers insert at once (the sign-in throttle, the policy radar's push ledger, reminders).
        // A failure the service does not handle is logged as an error where it surfaces: a request's exception handler,
        // the bus's dead-lettering, a background loop's own log.
        db.ConfigureWarnings(w => w.Log(
            (RelationalEventId.CommandError, LogLevel.Warning),
            (CoreEventId.SaveChangesFailed, LogLevel.Warning)));
        return db.ReplaceService<IMigrationsAssembly, ProviderMigrationsAssembly>();
    }

    /// <summary>Statements a connection keeps prepared when the connection string does not say otherwise.</summary>
    public const int DefaultMaxAutoPrepare = 50;

    /// <summary>
    /// Turns on Npgsql's automatic preparation unless the connection string sets <c>Max Auto Prepare</c>: a
    /// service repeats the same few statements (the workflow step, the outbox relay), and a prepared statement
    /// skips PostgreSQL's parse and plan on every later run. Npgsql's default is off.
    /// </summary>
    public static string WithStatementPreparation(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.Keys.Cast<string>().Any(k => k.Replace(" ", "", StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase)))
        {
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }

        return builder.ConnectionString;
    }

    private static string ResolveConnectionString(IConfiguration configuration, DatabaseOptions options, string connectionName)
    {
        var configured = configuration.GetConnectionString(connectionName);
        if (options.Provider == DatabaseProvider.Postgres)
        {
            return string.IsNullOrWhiteSpace(configured)
                ? throw new InvalidOperationException(
                    $"ConnectionStrings:{connectionName} is required when Database:Provider is Postgres.")
                : WithStatementPreparation(configured);
        }

        var connectionString = string.IsNullOrWhiteSpace(configured)
            ? new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(options.DataDirectory, connectionName + ".db"),
                Pooling = true,
                DefaultTimeout = 30,
            }.ToString()
            : configured;
        SqliteConnectionStrings.EnsureFolderExists(connectionString);
        return connectionString;
    }
}
