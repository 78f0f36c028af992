using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Songjiang.Persistence;

/// <summary>
/// Sets SQLite's own busy timeout on every connection a context opens. Microsoft.Data.Sqlite does not: a statement
/// that finds the database locked by another writer returns at once and the driver sleeps 150 ms before trying again,
/// so two requests writing at the same moment cost the second one 150 ms. SQLite's handler instead retries within
/// milliseconds of the lock's release. The timeout is the connection's <c>Default Timeout</c>, the same patience the
/// driver's own loop has. Set once per pooled connection: the setting lives as long as the native handle.
/// </summary>
internal sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    public static readonly SqliteBusyTimeout Instance = new();

    private static readonly ConditionalWeakTable<object, object> Configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (Pending(connection) is { } command)
        {
            using (command)
            {
                command.ExecuteNonQuery();
            }
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (Pending(connection) is { } command)
        {
            await using (command)
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    // The PRAGMA for a native handle not yet configured; null when it was (or the connection is not SQLite's).
    private static SqliteCommand? Pending(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle } sqlite || !Configured.TryAdd(handle, handle))
        {
            return null;
        }
        var command = sqlite.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout = {Math.Max(0, sqlite.DefaultTimeout) * 1000};";
        return command;
    }
}
