using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Songjiang.EventBus;

/// <summary>The relay's database work on one context instance: claim a batch, then mark it sent or failed.</summary>
internal sealed class OutboxStore(DbContext db)
{
    private const string PostgresProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";

    /// <summary>
    /// Claims up to <paramref name="batchSize"/> unsent, unlocked events for <paramref name="owner"/> (a name used for
    /// this one claim only) and returns them,
    /// in one statement and one round trip, so two relays never take the same row: PostgreSQL skips rows another relay
    /// is claiming (<c>FOR UPDATE SKIP LOCKED</c>); SQLite has a single writer, so the statement is atomic there by
    /// itself. Both return the claimed rows with <c>RETURNING</c> (SQLite 3.35 or later).
    /// </summary>
    public Task<List<OutboxMessage>> ClaimAsync(string owner, int batchSize, DateTime now, DateTime lockedUntil, CancellationToken ct)
    {
        var table = Table();
        var skipLocked = db.Database.ProviderName == PostgresProvider ? " FOR UPDATE SKIP LOCKED" : "";
        var sql =
            $"UPDATE {table.Name} SET {table.LockOwner} = {{0}}, {table.LockedUntil} = {{1}} " +
            $"WHERE {table.Id} IN (SELECT {table.Id} FROM {table.Name} " +
            $"WHERE {table.SentAt} IS NULL AND ({table.LockedUntil} IS NULL OR {table.LockedUntil} < {{2}}) " +
            $"ORDER BY {table.CreatedAt} LIMIT {{3}}{skipLocked}) " +
            "RETURNING *";

        // Not composed further (no Where, no OrderBy), so EF sends the statement as it is.
        return db.Set<OutboxMessage>().FromSqlRaw(sql, owner, lockedUntil, now, batchSize).AsNoTracking().ToListAsync(ct);
    }

    /// <summary>
    /// Marks every row still held by the claim <paramref name="owner"/> as sent: one statement with one parameter,
    /// whatever the batch size. Release the failed rows first (<see cref="MarkFailedAsync"/>), which drops their owner.
    /// </summary>
    /// <remarks>Safe only because an owner names one claim: no other batch's unpublished rows carry it.</remarks>
    public Task MarkSentAsync(string owner, DateTime now, CancellationToken ct) =>
        db.Set<OutboxMessage>()
            .Where(m => m.LockOwner == owner && m.SentAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.SentAt, now).SetProperty(m => m.LockOwner, (string?)null), ct);

    /// <summary>
    /// Marks the events handed off to <paramref name="owner"/> (<see cref="OutboxHandOff{TContext}"/>) among
    /// <paramref name="ids"/> as sent: one statement. A row the owner no longer holds — released as failed, or claimed by
    /// another relay after its lease passed — is left to whoever holds it.
    /// </summary>
    /// <remarks>The ids go as one parameter (an array on PostgreSQL, JSON on SQLite), whatever the batch size.</remarks>
    public Task MarkSentAsync(Guid[] ids, string owner, DateTime now, CancellationToken ct) =>
        db.Set<OutboxMessage>()
            .Where(m => EF.Parameter(ids).Contains(m.Id) && m.LockOwner == owner && m.SentAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.SentAt, now).SetProperty(m => m.LockOwner, (string?)null), ct);

    /// <summary>Gives up <paramref name="owner"/>'s leases on events not yet sent, so any relay takes them at once.</summary>
    public Task ReleaseAsync(string owner, CancellationToken ct) =>
        db.Set<OutboxMessage>()
            .Where(m => m.LockOwner == owner && m.SentAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntil, (DateTime?)null).SetProperty(m => m.LockOwner, (string?)null), ct);

    /// <summary>Releases a failed event, to be retried once <paramref name="retryAt"/> passes.</summary>
    public Task MarkFailedAsync(Guid id, string error, DateTime retryAt, CancellationToken ct) =>
        db.Set<OutboxMessage>()
            .Where(m => m.Id == id)
            .ExecuteUpdateAsync(
                s => s.SetProperty(m => m.Attempts, m => m.Attempts + 1)
                    .SetProperty(m => m.LastError, error.Length > 2000 ? error[..2000] : error)
                    .SetProperty(m => m.LockedUntil, retryAt)
                    .SetProperty(m => m.LockOwner, (string?)null),
                ct);

    public Task<int> DeleteSentBeforeAsync(DateTime cutoff, CancellationToken ct) =>
        db.Set<OutboxMessage>().Where(m => m.SentAt != null && m.SentAt < cutoff).ExecuteDeleteAsync(ct);

    private OutboxTable Table()
    {
        var entity = db.Model.FindEntityType(typeof(OutboxMessage))
            ?? throw new InvalidOperationException($"{db.GetType().Name} has no outbox; call modelBuilder.AddEventBusOutbox() in OnModelCreating.");
        var sql = db.GetService<ISqlGenerationHelper>();
        var store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        string Column(string property) => sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(store)!);

        return new OutboxTable(
            sql.DelimitIdentifier(store.Name, store.Schema),
            Column(nameof(OutboxMessage.Id)),
            Column(nameof(OutboxMessage.SentAt)),
            Column(nameof(OutboxMessage.CreatedAt)),
            Column(nameof(OutboxMessage.LockedUntil)),
            Column(nameof(OutboxMessage.LockOwner)));
    }

    private sealed record OutboxTable(string Name, string Id, string SentAt, string CreatedAt, string LockedUntil, string LockOwner);
}
