using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Songjiang.Persistence;

namespace Songjiang.ServiceDefaults.Tests;

public sealed class SqliteBusyTimeoutTests
{
    [Fact]
    public async Task A_context_waits_in_sqlite_for_a_writers_lock_as_long_as_its_default_timeout_also_on_a_pooled_connection()
    {
        var file = Path.Combine(Path.GetTempPath(), $"sj-busy-{Guid.NewGuid():N}.db");
        var options = new DbContextOptionsBuilder<DbContext>()
            .UseServiceDatabase(DatabaseProvider.Sqlite, $"Data Source={file};Pooling=true;Default Timeout=7").Options;
        var ct = TestContext.Current.CancellationToken;
        try
        {
            for (var open = 0; open < 2; open++)
            {
                await using var db = new DbContext(options);
                Assert.Equal([7000L], await db.Database.SqlQueryRaw<long>("PRAGMA busy_timeout").ToListAsync(ct));
            }

            // A writer holds the lock; a second one started meanwhile waits for it instead of failing.
            await using var holder = new SqliteConnection($"Data Source={file};Pooling=false");
            await holder.OpenAsync(ct);
            await using (var create = holder.CreateCommand())
            {
                create.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE t (v INTEGER);";
                await create.ExecuteNonQueryAsync(ct);
            }
            await using var transaction = (SqliteTransaction)await holder.BeginTransactionAsync(ct);
            await using (var write = holder.CreateCommand())
            {
                write.CommandText = "INSERT INTO t VALUES (1);";
                await write.ExecuteNonQueryAsync(ct);
            }
            var waiting = Task.Run(async () =>
            {
                await using var db = new DbContext(options);
                return await db.Database.ExecuteSqlRawAsync("INSERT INTO t VALUES (2);", ct);
            }, ct);
            await Task.Delay(200, ct);
            Assert.False(waiting.IsCompleted);
            await transaction.CommitAsync(ct);
            Assert.Equal(1, await waiting);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }
}
