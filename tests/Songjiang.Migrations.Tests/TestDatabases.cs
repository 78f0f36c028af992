using Npgsql;
using Songjiang.Persistence;
using Songjiang.Testing;

namespace Songjiang.Migrations.Tests;

/// <summary>A fresh, empty database of one engine for one test (a file in a temporary folder, or a new PostgreSQL database).</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _folder;

    private TestDatabase(DatabaseProvider provider, string connectionString, string? folder)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _folder = folder;
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    public static TestDatabase Create(string service, DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            var builder = new NpgsqlConnectionStringBuilder(TestServers.Postgres)
            {
                Database = $"migrations_{service}_{Guid.NewGuid():N}"[..40],
            };
            return new TestDatabase(provider, builder.ConnectionString, null);
        }

        var folder = Path.Combine(Path.GetTempPath(), "songjiang-migrations-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return new TestDatabase(provider, $"Data Source={Path.Combine(folder, service + ".db")};Pooling=False", folder);
    }

    public async ValueTask DisposeAsync()
    {
        if (Provider == DatabaseProvider.Postgres)
        {
            var database = new NpgsqlConnectionStringBuilder(ConnectionString).Database;
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestServers.Postgres) { Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            NpgsqlConnection.ClearAllPools();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        else if (_folder is not null)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
