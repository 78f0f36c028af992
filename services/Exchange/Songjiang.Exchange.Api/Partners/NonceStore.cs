using System.Data.Common;
using Songjiang.Exchange.Api.Domain;
using Songjiang.Exchange.Api.Infrastructure;

namespace Songjiang.Exchange.Api.Partners;

/// <summary>
/// The durable nonce store: a nonce is used when its row (city, nonce) is committed under the table's unique key,
/// so whichever replica sees a replay, before or after a restart, the insert fails and the request is refused.
/// Nonces are written by the exchange's <see cref="GroupCommitWriter"/>, together with whatever else arrived meanwhile;
/// if a batch meets a used nonce, its nonces are inserted again one by one to find which. A read spends its nonce with
/// its message-log record instead (<see cref="MessageLog.MessageChain.AppendSpendingNonceAsync"/>), through the same helpers.
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
        var uses = writes.Cast<Use>().ToList();
        var fresh = FirstOfEach(uses, u => (u.City, u.Nonce));
        foreach (var use in uses.Except(fresh))
        {
            use.Done.TrySetResult(false); // the same nonce twice in one batch: the second is a replay
        }
        return Insert(db, fresh.Select(u => (u.City, u.Nonce)).ToList(), clock.GetUtcNow());
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
        var pending = writes.Cast<Use>().Where(u => !u.Done.Task.IsCompleted).ToList();
        var fresh = await SpendAloneAsync(session, pending.Select(u => (u.City, u.Nonce)).ToList(), clock.GetUtcNow());
        for (var i = 0; i < pending.Count; i++)
        {
            pending[i].Done.TrySetResult(fresh[i]);
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

    /// <summary>The first of the items with each key, in order: a later one with the same nonce is a replay.</summary>
    internal static List<T> FirstOfEach<T>(IEnumerable<T> items, Func<T, (string City, string Nonce)> key)
    {
        var seen = new HashSet<(string, string)>();
        return items.Where(item => seen.Add(key(item))).ToList();
    }

    /// <summary>Inserts the nonces' rows in the batch's transaction (one statement: all or none).</summary>
    internal static Task Insert(ExchangeDbContext db, IReadOnlyCollection<(string City, string Nonce)> nonces, DateTimeOffset now) =>
        RowInserter.InsertAsync(db, nonces.Select(n => new UsedNonce { City = n.City, Nonce = n.Nonce, SeenAt = now }).ToList());

    /// <summary>
    /// After a batch failed: spends the nonces in their own commit, together first (the batch may have failed on other
    /// rows, such as a log position another replica took), then one by one to find the used ones. True for each nonce
    /// that was unused.
    /// </summary>
    internal static async Task<bool[]> SpendAloneAsync(WriterSession session, IReadOnlyList<(string City, string Nonce)> nonces, DateTimeOffset now)
    {
        var fresh = new bool[nonces.Count];
        try
        {
            await session.CommitAsync(db => Insert(db, nonces, now));
            Array.Fill(fresh, true);
            return fresh;
        }
        catch (DbException exception) when (RowInserter.IsDuplicate(exception))
        {
        }
        for (var i = 0; i < nonces.Count; i++)
        {
            try
            {
                await session.CommitAsync(db => Insert(db, [nonces[i]], now));
                fresh[i] = true;
            }
            catch (DbException exception) when (RowInserter.IsDuplicate(exception))
            {
            }
        }
        return fresh;
    }

    private sealed class Use(NonceStore owner, string city, string nonce) : IQueuedWrite
    {
        public IBatchParticipant Owner => owner;
        public string City => city;
        public string Nonce => nonce;
        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
