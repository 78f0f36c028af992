using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Songjiang.EventBus.Tests.Support;

/// <summary>A database of one test application: a SQLite file, or a uniquely named PostgreSQL database dropped at the end.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _postgresAdmin;

    private TestDatabase(string connectionString, bool postgres, string? postgresAdmin)
    {
        ConnectionString = connectionString;
        IsPostgres = postgres;
        _postgresAdmin = postgresAdmin;
    }

    public string ConnectionString { get; }

    public bool IsPostgres { get; }

    public static TestDatabase Sqlite() =>
        new($"Data Source={Path.Combine(Path.GetTempPath(), $"sj-eventbus-{Guid.NewGuid():N}.db")};Default Timeout=60", postgres: false, null);

    public static TestDatabase Postgres()
    {
        var admin = TestServers.RequirePostgres();
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = $"sj_eventbus_{Guid.NewGuid():N}" };
        return new TestDatabase(builder.ConnectionString, postgres: true, admin);
    }

    public void Configure(DbContextOptionsBuilder options)
    {
        if (IsPostgres)
        {
            options.UseNpgsql(ConnectionString);
        }
        else
        {
            options.UseSqlite(ConnectionString);
        }
    }

    /// <summary>Creates the schema, as the owning service does at start; safe to call from each replica.</summary>
    public async Task CreateAsync(TestDbContext db)
    {
        await db.Database.EnsureCreatedAsync();
        if (!IsPostgres)
        {
            // WAL lets the relay read while handlers write, as a file-based service would configure it.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgresAdmin is null)
        {
            var path = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString).DataSource;
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }

            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_postgresAdmin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand(
            $"DROP DATABASE IF EXISTS \"{new NpgsqlConnectionStringBuilder(ConnectionString).Database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
