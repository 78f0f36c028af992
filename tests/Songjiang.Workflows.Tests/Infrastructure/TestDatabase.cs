using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Songjiang.Workflows.Tests.Infrastructure;

public enum Provider { Sqlite, Postgres }

/// <summary>A fresh database per test: a temp SQLite file, or a uniquely named PostgreSQL database.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _adminConnection;
    private readonly string _name;

    private TestDatabase(Provider provider, string connectionString, string name, string? adminConnection)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _name = name;
        _adminConnection = adminConnection;
    }

    public Provider Provider { get; }
    public string ConnectionString { get; }

    public static string? PostgresConnection => Environment.GetEnvironmentVariable("SONGJIANG_TEST_POSTGRES");

    public static async Task<TestDatabase> CreateAsync(Provider provider)
    {
        var name = "wf_" + Guid.NewGuid().ToString("N")[..16];
        TestDatabase database;
        if (provider == Provider.Sqlite)
        {
            var path = Path.Combine(Path.GetTempPath(), name + ".db");
            database = new TestDatabase(provider, $"Data Source={path};Default Timeout=60", path, null);
        }
        else
        {
            var admin = PostgresConnection;
            if (admin is null) Assert.Skip("SONGJIANG_TEST_POSTGRES is not set");
            await using (var connection = new NpgsqlConnection(admin))
            {
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
                await command.ExecuteNonQueryAsync();
            }

            var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
            database = new TestDatabase(provider, builder.ConnectionString, name, admin);
        }

        await using var db = database.CreateContext();
        await db.Database.EnsureCreatedAsync();
        return database;
    }

    public void Configure(DbContextOptionsBuilder options)
    {
        if (Provider == Provider.Sqlite) options.UseSqlite(ConnectionString);
        else options.UseNpgsql(ConnectionString);
    }

    public TestDbContext CreateContext()
    {
        var options = new DbContextOptionsBuilder<TestDbContext>();
        Configure(options);
        return new TestDbContext(options.Options);
    }

    public async ValueTask DisposeAsync()
    {
        if (_adminConnection is null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(_name);
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_adminConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
