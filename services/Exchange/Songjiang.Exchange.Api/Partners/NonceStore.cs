using System.Data.Common;
using Songjiang.Exchange.Api.Domain;
using Songjiang.Exchange.Api.Infrastructure;

namespace Songjiang.Exchange.Api.Partners;

/// <summary>
/// The durable nonce store: a nonce is used when its row (city, nonce) is committed under the table's unique key,
/// so whichever replica sees a replay, before or after a restart, the insert fails and the request is refused.
/// Nonces are written by the exchange's <see cref="GroupCommitWriter"/>, together with whatever else arrived meanwhile;
/// if a batch meets a used nonce, its nonces are inserted again one by one to find which.
/// </summary>
public sealed class NonceStore(GroupCommitWriter writer, TimeProvider clock) : IBatchParticipant
{
    /// <summary>True when the nonce was unused and is now used; false when the city used it before.</summary>
    public Task<bool> TryUseAsync(string city, string nonce, CancellationToken cancellationToken)
    {
        var use = new Use(this, city, nonce);
        writer.Enqueue(use);
        return use.Done.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task StageAsync(ExchangeDbContext db, IReadOnlyList<IQueuedWrite> writes)
    {
        var now = clock.GetUtcNow();
        var seen = new HashSet<(string, string)>();
        var rows = new List<UsedNonce>(writes.Count);
        foreach (var use in writes.Cast<Use>())
        {
            if (seen.Add((use.City, use.Nonce)))
            {
                rows.Add(new UsedNonce { City = use.City, Nonce = use.Nonce, SeenAt = now });
            }
            else
            {
                use.Done.TrySetResult(false); // the same nonce twice in one batch: the second is a replay
            }
        }
        return RowInserter.InsertAsync(db, rows);
    }

    /// <inheritdoc />
    public void Committed(IReadOnlyList<IQueuedWrite> writes)
    {
        foreach (var use in writes.Cast<Use>())
        {
            use.Done.TrySetResult(true);
        }
    }

    /// <inheritdoc />
    public async Task WriteAloneAsync(WriterSession session, IReadOnlyList<IQueuedWrite> writes)
    {
        // The batch may have failed on another store's rows (a log position another replica took): try the nonces
        // together first, then one by one to find the used ones.
        var pending = writes.Cast<Use>().Where(u => !u.Done.Task.IsCompleted).ToList();
        var now = clock.GetUtcNow();
        try
        {
            await session.CommitAsync(db => RowInserter.InsertAsync(db, pending.Select(u => new UsedNonce { City = u.City, Nonce = u.Nonce, SeenAt = now }).ToList()));
            pending.ForEach(u => u.Done.TrySetResult(true));
            return;
        }
        catch (DbException exception) when (RowInserter.IsDuplicate(exception))
        {
        }
        foreach (var use in pending)
        {
            try
            {
                await session.CommitAsync(db => RowInserter.InsertAsync(db, [new UsedNonce { City = use.City, Nonce = use.Nonce, SeenAt = now }]));
                use.Done.TrySetResult(true);
            }
            catch (DbException exception) when (RowInserter.IsDuplicate(exception))
            {
                use.Done.TrySetResult(false);
            }
        }
    }

    /// <inheritdoc />
    public void Failed(IReadOnlyList<IQueuedWrite> writes, Exception exception)
    {
        foreach (var use in writes.Cast<Use>())
        {
            use.Done.TrySetException(exception);
        }
    }

    private sealed class Use(NonceStore owner, string city, string nonce) : IQueuedWrite
    {
        public IBatchParticipant Owner => owner;
        public string City => city;
        public string Nonce => nonce;
        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
