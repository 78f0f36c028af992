using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Songjiang.Exchange.Api.Domain;
using Songjiang.Exchange.Api.Infrastructure;

namespace Songjiang.Exchange.Api.Partners;

/// <summary>
/// The durable nonce store: a nonce is used when its row (city, nonce) is committed under the table's unique key,
/// so whichever replica sees a replay, before or after a restart, the insert fails and the request is refused.
/// Nonces that arrive together are inserted together (group commit); if the batch meets a used nonce, its rows are
/// inserted one by one to find which.
/// </summary>
public sealed class NonceStore(IServiceScopeFactory scopes, WriterGate gate, TimeProvider clock, ILogger<NonceStore> logger)
{
    private const int MaxBatch = 256;
    private readonly Channel<(string City, string Nonce, TaskCompletionSource<bool> Done)> _queue =
        Channel.CreateUnbounded<(string, string, TaskCompletionSource<bool>)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _startGate = new();
    private Task? _writer;

    /// <summary>True when the nonce was unused and is now used; false when the city used it before.</summary>
    public Task<bool> TryUseAsync(string city, string nonce, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Writer.TryWrite((city, nonce, done));
        lock (_startGate)
        {
            _writer ??= Task.Run(WriteLoopAsync, CancellationToken.None);
        }
        return done.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<(string City, string Nonce, TaskCompletionSource<bool> Done)>(MaxBatch);
        await using var session = new WriterSession(scopes, gate);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }
            try
            {
                await WriteBatchAsync(session, batch);
            }
            catch (Exception exception)
            {
                await session.ResetAsync();
                logger.LogError(exception, "Could not store {Count} partner nonces", batch.Count);
                foreach (var item in batch)
                {
                    item.Done.TrySetException(exception);
                }
            }
        }
    }

    private async Task WriteBatchAsync(WriterSession session, List<(string City, string Nonce, TaskCompletionSource<bool> Done)> batch)
    {
        var db = await session.ContextAsync();
        var now = clock.GetUtcNow();
        var fresh = new List<(string City, string Nonce, TaskCompletionSource<bool> Done)>();
        var seen = new HashSet<(string, string)>();
        foreach (var item in batch)
        {
            if (seen.Add((item.City, item.Nonce)))
            {
                fresh.Add(item);
            }
            else
            {
                item.Done.TrySetResult(false); // the same nonce twice in one batch: the second is a replay
            }
        }
        db.Nonces.AddRange(fresh.Select(f => new UsedNonce { City = f.City, Nonce = f.Nonce, SeenAt = now }));
        try
        {
            await session.SaveChangesAsync();
            db.ChangeTracker.Clear();
            fresh.ForEach(f => f.Done.TrySetResult(true));
            return;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
        }
        foreach (var item in fresh)
        {
            db.Nonces.Add(new UsedNonce { City = item.City, Nonce = item.Nonce, SeenAt = now });
            try
            {
                await session.SaveChangesAsync();
                item.Done.TrySetResult(true);
            }
            catch (DbUpdateException)
            {
                item.Done.TrySetResult(false);
            }
            db.ChangeTracker.Clear();
        }
    }
}
