using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Songjiang.Notifications.Api.Infrastructure;

namespace Songjiang.Notifications.Api.Streaming;

/// <summary>
/// Gives messages their stream positions as the last statement before their transaction commits. A message is saved
/// with a provisional negative position (<see cref="Provisional"/>); at the commit one command takes as many positions
/// from the counter row as the transaction saved messages and gives them out in the order they were staged. The
/// counter's row lock is held from that command to the commit, one round trip, so positions become visible in order
/// (a reader that has seen position <em>n</em> has seen everything below it) without other writers waiting on the
/// whole handler. Negative positions are never visible to others: they exist only inside an open transaction.
/// </summary>
public sealed class StreamPositions : DbTransactionInterceptor
{
    // Both statements in one command (Npgsql sends them together; SQLite runs them in turn). The second reads the
    // counter the first has just moved and locked, and this transaction's own provisional rows: other transactions'
    // uncommitted rows are invisible to it on PostgreSQL, and SQLite has one writer at a time.
    private const string AssignSql = """
        UPDATE stream_counter SET value = value + (SELECT count(*) FROM notifications WHERE "Sequence" < 0) WHERE id = 1;
        UPDATE notifications SET "Sequence" = staged.position
        FROM (
            SELECT "Id" AS notification_id,
                   (SELECT c.value FROM stream_counter AS c WHERE c.id = 1) - count(*) OVER () + row_number() OVER (ORDER BY "Sequence" DESC) AS position
            FROM notifications WHERE "Sequence" < 0
        ) AS staged
        WHERE notifications."Id" = staged.notification_id;
        """;

    /// <summary>The interceptor; it keeps no state of its own (the context carries whether it staged messages).</summary>
    public static StreamPositions Instance { get; } = new();

    private StreamPositions()
    {
    }

    /// <summary>
    /// Provisional positions for <paramref name="count"/> messages staged together, in their order: random, so that
    /// concurrent transactions do not meet in the unique index, and descending, so that the commit keeps their order.
    /// </summary>
    public static long[] Provisional(int count)
    {
        var first = -Random.Shared.NextInt64(1L << 32, 1L << 62);
        return [.. Enumerable.Range(0, count).Select(i => first - i)];
    }

    /// <inheritdoc />
    public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        Reset(eventData);
        return result;
    }

    /// <inheritdoc />
    public override ValueTask<DbTransaction> TransactionStartedAsync(
        DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        Reset(eventData);
        return ValueTask.FromResult(result);
    }

    /// <inheritdoc />
    public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        if (Staged(eventData) is { } db)
        {
            using var command = Command(transaction);
            command.ExecuteNonQuery();
            db.StagedMessages = false;
        }
        return result;
    }

    /// <inheritdoc />
    public override async ValueTask<InterceptionResult> TransactionCommittingAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (Staged(eventData) is { } db)
        {
            await using var command = Command(transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
            db.StagedMessages = false;
        }
        return result;
    }

    /// <inheritdoc />
    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Reset(eventData);

    /// <inheritdoc />
    public override Task TransactionRolledBackAsync(
        DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Reset(eventData);
        return Task.CompletedTask;
    }

    private static NotificationsDbContext? Staged(TransactionEventData eventData) =>
        eventData.Context is NotificationsDbContext { StagedMessages: true } db ? db : null;

    private static void Reset(TransactionEventData eventData)
    {
        if (eventData.Context is NotificationsDbContext db)
        {
            db.StagedMessages = false;
        }
    }

    private static DbCommand Command(DbTransaction transaction)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = AssignSql;
        return command;
    }
}
