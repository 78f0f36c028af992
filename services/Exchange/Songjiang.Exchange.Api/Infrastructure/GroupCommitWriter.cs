using System.Data.Common;
using System.Threading.Channels;

namespace Songjiang.Exchange.Api.Infrastructure;

/// <summary>A write waiting in the <see cref="GroupCommitWriter"/>'s queue.</summary>
public interface IQueuedWrite
{
    /// <summary>The store whose rows it writes and that completes it.</summary>
    IBatchParticipant Owner { get; }
}

/// <summary>A store whose writes go through the <see cref="GroupCommitWriter"/> (the nonce store, the message log).</summary>
public interface IBatchParticipant
{
    /// <summary>Inserts the rows of its writes in this batch, in queue order, in the batch's transaction.</summary>
    Task StageAsync(ExchangeDbContext db, IReadOnlyList<IQueuedWrite> writes);

    /// <summary>The batch committed: completes the writes.</summary>
    void Committed(IReadOnlyList<IQueuedWrite> writes);

    /// <summary>
    /// The batch's shared commit failed on a constraint (a nonce used before, a log position another replica took):
    /// writes these again without the others' rows, and completes them.
    /// </summary>
    Task WriteAloneAsync(WriterSession session, IReadOnlyList<IQueuedWrite> writes);

    /// <summary>The writes could not be stored.</summary>
    void Failed(IReadOnlyList<IQueuedWrite> writes, Exception exception);
}

/// <summary>
/// The exchange's one group-commit writer: every write queued while the previous batch committed goes into the next
/// batch, nonces and message-log records alike, and the batch commits in one transaction. A signed request costs one
/// nonce row and one log record; with both stores sharing the writer they share commits too, and on SQLite (one writer
/// per database) they never collide on the write lock, where Microsoft.Data.Sqlite would sleep 150 ms before retrying.
/// </summary>
public sealed class GroupCommitWriter(IServiceScopeFactory scopes, ILogger<GroupCommitWriter> logger)
{
    private const int MaxBatch = 256;
    private readonly Channel<IQueuedWrite> _queue = Channel.CreateUnbounded<IQueuedWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _startGate = new();
    private Task? _writer;

    /// <summary>Queues a write; its owner completes it once its batch is stored or has failed.</summary>
    public void Enqueue(IQueuedWrite write)
    {
        _queue.Writer.TryWrite(write);
        lock (_startGate)
        {
            _writer ??= Task.Run(WriteLoopAsync, CancellationToken.None);
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<IQueuedWrite>(MaxBatch);
        await using var session = new WriterSession(scopes);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }
            var parts = batch.GroupBy(w => w.Owner).Select(g => (Owner: g.Key, Writes: (IReadOnlyList<IQueuedWrite>)g.ToList())).ToList();
            try
            {
                await session.CommitAsync(async db =>
                {
                    foreach (var (owner, writes) in parts)
                    {
                        await owner.StageAsync(db, writes);
                    }
                });
                parts.ForEach(p => p.Owner.Committed(p.Writes));
            }
            catch (DbException exception) when (RowInserter.IsDuplicate(exception))
            {
                foreach (var (owner, writes) in parts)
                {
                    await WriteAloneAsync(session, owner, writes);
                }
            }
            catch (Exception exception)
            {
                await session.ResetAsync();
                logger.LogError(exception, "Could not store {Count} partner nonces and message-log records", batch.Count);
                parts.ForEach(p => p.Owner.Failed(p.Writes, exception));
            }
        }
    }

    private async Task WriteAloneAsync(WriterSession session, IBatchParticipant owner, IReadOnlyList<IQueuedWrite> writes)
    {
        try
        {
            await owner.WriteAloneAsync(session, writes);
        }
        catch (Exception exception)
        {
            await session.ResetAsync();
            logger.LogError(exception, "Could not store {Count} partner nonces or message-log records", writes.Count);
            owner.Failed(writes, exception);
        }
    }
}
