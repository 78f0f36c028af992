using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Songjiang.ServiceDefaults.Storage;

namespace Songjiang.Persistence.Migrations;

/// <summary>
/// Lets one process at a time migrate and seed a database, so that replicas starting together migrate once:
/// a session-level advisory lock on PostgreSQL (released by the server if the process dies), an exclusive lock
/// on a file beside the database on SQLite.
/// </summary>
internal static class MigrationLock
{
    private static readonly TimeSpan RetryEvery = TimeSpan.FromMilliseconds(100);

    public static Task<IAsyncDisposable> AcquireAsync(DbContext db, CancellationToken cancellationToken) =>
        db.Database.IsNpgsql() ? AcquirePostgresAsync(db, cancellationToken) : AcquireSqliteAsync(db, cancellationToken);

    /// <summary>The advisory lock key of a context: stable across processes and versions (FNV-1a of its name).</summary>
    public static long Key(Type contextType)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes("songjiang.migrations:" + contextType.FullName))
        {
            hash = unchecked((hash ^ b) * 1099511628211UL);
        }
        return unchecked((long)hash);
    }

    private static async Task<IAsyncDisposable> AcquirePostgresAsync(DbContext db, CancellationToken cancellationToken)
    {
        // The lock lives in the service's database, which must exist first; replicas racing to create it are fine.
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync(cancellationToken))
        {
            try
            {
                await creator.CreateAsync(cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
            {
            }
        }

        // Its own unpooled session: a pooled one would go back to the pool still holding the lock.
        var connectionString = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ConnectionString;
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var key = Key(db.GetType());
        // Tried and retried rather than waited for in one statement: another replica may migrate and seed for longer than
        // the command timeout (30 s by default, easily passed on a busy machine), which would end the wait in an error.
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection);
        command.Parameters.AddWithValue(key);
        while (!(bool)(await command.ExecuteScalarAsync(cancellationToken))!)
        {
            await Task.Delay(RetryEvery, cancellationToken);
        }
        return new PostgresLock(connection, key);
    }

    private static async Task<IAsyncDisposable> AcquireSqliteAsync(DbContext db, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder(db.Database.GetConnectionString());
        if (builder.Mode == SqliteOpenMode.Memory || string.IsNullOrEmpty(builder.DataSource) || builder.DataSource == ":memory:")
        {
            return NoLock.Instance;
        }

        var path = Path.GetFullPath(builder.DataSource) + ".migrations.lock";
        PrivateFiles.Touch(path);
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive advisory lock (flock) on Unix and a sharing lock on Windows.
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                await Task.Delay(RetryEvery, cancellationToken);
            }
        }
    }

    private sealed class PostgresLock(NpgsqlConnection connection, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection);
                command.Parameters.AddWithValue(key);
                await command.ExecuteNonQueryAsync();
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }

    private sealed class FileLock(FileStream stream) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => stream.DisposeAsync();
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
