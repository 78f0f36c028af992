using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Songjiang.Notifications.Api.Application;
using Songjiang.Notifications.Api.Domain;
using Songjiang.Notifications.Api.Features;
using Songjiang.Notifications.Api.Infrastructure;
using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Songjiang.Notifications.Api.Streaming;

/// <summary>One open event stream.</summary>
public sealed class StreamConnection : IDisposable
{
    private readonly CancellationTokenSource _closed = new();

    internal StreamConnection(Guid id, string userId, IReadOnlyList<string> recipients, long startPosition)
    {
        Id = id;
        UserId = userId;
        Recipients = recipients;
        StartPosition = startPosition;
    }

    /// <summary>The stream's lease id (see <see cref="Domain.StreamLease"/>).</summary>
    public Guid Id { get; }

    /// <summary>The user.</summary>
    public string UserId { get; }

    /// <summary>The inboxes it shows.</summary>
    public IReadOnlyList<string> Recipients { get; }

    /// <summary>The hub's position when it opened: everything after it reaches the connection live or by catch-up.</summary>
    public long StartPosition { get; }

    /// <summary>Live messages, in stream order. Bounded: a client too slow to keep up is closed and resumes from the database.</summary>
    public Channel<NotificationView> Live { get; } = Channel.CreateBounded<NotificationView>(
        new BoundedChannelOptions(1024) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Cancelled when the hub closes the stream (the user opened too many, or the client fell behind).</summary>
    public CancellationToken Closed => _closed.Token;

    internal void Close() => _closed.Cancel();

    /// <inheritdoc />
    public void Dispose() => _closed.Dispose();
}

/// <summary>
/// The open streams of this replica. One loop reads messages newer than its position from the database — whichever
/// replica wrote them — and hands each to the streams of its inbox, so several replicas serve streams alike and a
/// stream never depends on the replica that handled the event. The per-user stream limit is kept in the database
/// (<see cref="StreamLease"/>), so it holds across replicas: opening a stream marks the user's oldest streams beyond the
/// limit evicted, and the replica serving each closes it at its next poll.
/// </summary>
public sealed partial class StreamHub(
    IServiceScopeFactory scopes, IOptions<NotificationsOptions> options, TimeProvider clock, ILogger<StreamHub> logger) : BackgroundService
{
    /// <summary>How often a replica confirms its open streams in the database.</summary>
    public static readonly TimeSpan LeaseRenewal = TimeSpan.FromSeconds(30);

    /// <summary>A stream not confirmed for this long belongs to a replica that stopped; it no longer counts.</summary>
    public static readonly TimeSpan LeaseExpiry = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<StreamConnection, byte>> _byRecipient = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, StreamConnection> _byId = new();
    private readonly ConcurrentQueue<Guid> _ended = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset _renewedAt = DateTimeOffset.MinValue;
    private long _position;
    private int _count;

    /// <summary>This replica's id in the stream leases.</summary>
    public Guid ReplicaId { get; } = Guid.CreateVersion7();

    /// <summary>Open streams on this replica.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The last stream position this replica has handed out.</summary>
    public long Position => Interlocked.Read(ref _position);

    /// <summary>
    /// Opens a stream for a user; beyond the per-user limit, counted over every replica, the user's oldest streams are
    /// closed by the replicas serving them.
    /// </summary>
    public async Task<StreamConnection> OpenAsync(string userId, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        await _started.Task.WaitAsync(cancellationToken);
        var connection = new StreamConnection(Guid.CreateVersion7(), userId, recipients, Position);
        foreach (var recipient in recipients)
        {
            _byRecipient.GetOrAdd(recipient, _ => new()).TryAdd(connection, 0);
        }
        _byId[connection.Id] = connection;
        Interlocked.Increment(ref _count);
        try
        {
            await LeaseAsync(connection, cancellationToken);
        }
        catch
        {
            Close(connection);
            throw;
        }
        return connection;
    }

    // The lease is committed before the eviction runs, so of two streams opened at once on two replicas the later
    // eviction sees both: at most the limit stay open, and always the newest.
    private async Task LeaseAsync(StreamConnection connection, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var now = clock.GetUtcNow();
        db.StreamLeases.Add(new StreamLease
        {
            Id = connection.Id, UserId = connection.UserId, ReplicaId = ReplicaId, OpenedAt = now, SeenAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);

        var userId = connection.UserId;
        var live = now - LeaseExpiry;
        var keep = db.StreamLeases
            .Where(l => l.UserId == userId && l.EvictedAt == null && l.SeenAt > live)
            .OrderByDescending(l => l.OpenedAt).ThenByDescending(l => l.Id)
            .Take(options.Value.MaxStreamsPerUser).Select(l => l.Id);
        var evicted = await db.StreamLeases
            .Where(l => l.UserId == userId && l.EvictedAt == null && !keep.Contains(l.Id))
            .ExecuteUpdateAsync(set => set.SetProperty(l => l.EvictedAt, now), cancellationToken);
        if (evicted > 0)
        {
            LogEvicted(userId, evicted);
        }
    }

    /// <summary>Forgets a stream that ended; its lease goes at the next poll.</summary>
    public void Close(StreamConnection connection)
    {
        if (!_byId.TryRemove(connection.Id, out _))
        {
            return;
        }
        foreach (var recipient in connection.Recipients)
        {
            if (_byRecipient.TryGetValue(recipient, out var set))
            {
                set.TryRemove(connection, out _);
            }
        }
        _ended.Enqueue(connection.Id);
        Interlocked.Decrement(ref _count);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
                Interlocked.Exchange(ref _position, await db.Notifications.MaxAsync(n => (long?)n.Sequence, stoppingToken) ?? 0);
                _started.TrySetResult();
                break;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogPollFailed(ex);
                await Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken);
            }
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await PollAsync(stoppingToken) == PollBatch)
                {
                }
                await KeepLeasesAsync(stoppingToken);
                await Task.Delay(options.Value.StreamPollInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogPollFailed(ex);
                await Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken);
            }
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // This replica's streams end with it; their leases need not wait to expire.
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
            var replica = ReplicaId;
            await db.StreamLeases.Where(l => l.ReplicaId == replica).ExecuteDeleteAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPollFailed(ex);
        }
    }

    // Closes this replica's streams another replica evicted, removes the leases of ended streams, and now and then
    // confirms the open ones and clears the leases of replicas that stopped without saying so.
    private async Task KeepLeasesAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var replica = ReplicaId;
        if (!_ended.IsEmpty)
        {
            var ended = new List<Guid>();
            while (ended.Count < 1000 && _ended.TryDequeue(out var id))
            {
                ended.Add(id);
            }
            await db.StreamLeases.Where(l => ended.Contains(l.Id)).ExecuteDeleteAsync(cancellationToken);
        }
        if (Count > 0)
        {
            var evicted = await db.StreamLeases.AsNoTracking()
                .Where(l => l.ReplicaId == replica && l.EvictedAt != null).Select(l => l.Id).ToListAsync(cancellationToken);
            foreach (var id in evicted)
            {
                if (_byId.TryGetValue(id, out var connection))
                {
                    connection.Close();
                }
                else
                {
                    _ended.Enqueue(id);
                }
            }
        }
        var now = clock.GetUtcNow();
        if (now - _renewedAt >= LeaseRenewal)
        {
            _renewedAt = now;
            await db.StreamLeases.Where(l => l.ReplicaId == replica && l.EvictedAt == null)
                .ExecuteUpdateAsync(set => set.SetProperty(l => l.SeenAt, now), cancellationToken);
            var expired = now - LeaseExpiry;
            await db.StreamLeases.Where(l => l.SeenAt < expired).ExecuteDeleteAsync(cancellationToken);
        }
    }

    private const int PollBatch = 2000;

    private async Task<int> PollAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var position = Position;
        if (Count == 0)
        {
            // Nobody listening here: just keep up with the head.
            var head = await db.Notifications.MaxAsync(n => (long?)n.Sequence, cancellationToken) ?? position;
            Interlocked.Exchange(ref _position, Math.Max(position, head));
            return 0;
        }
        var rows = await db.Notifications.AsNoTracking().Where(n => n.Sequence > position)
            .OrderBy(n => n.Sequence).Take(PollBatch).ToListAsync(cancellationToken);
        foreach (var row in rows)
        {
            if (_byRecipient.TryGetValue(row.Recipient, out var connections) && !connections.IsEmpty)
            {
                var view = NotificationView.Of(row);
                foreach (var connection in connections.Keys)
                {
                    if (!connection.Live.Writer.TryWrite(view))
                    {
                        // Too slow to keep up: close it; the client resumes from the database with Last-Event-ID.
                        connection.Close();
                    }
                }
            }
            Interlocked.Exchange(ref _position, row.Sequence);
        }
        return rows.Count;
    }

    [LoggerMessage(LogLevel.Information, "User {UserId} opened more streams than allowed; the oldest {Count} were evicted")]
    private partial void LogEvicted(string userId, int count);

    [LoggerMessage(LogLevel.Warning, "Reading new messages for the open streams failed; trying again")]
    private partial void LogPollFailed(Exception ex);
}
