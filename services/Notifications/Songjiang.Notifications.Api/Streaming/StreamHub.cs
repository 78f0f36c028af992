using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Songjiang.Notifications.Api.Application;
using Songjiang.Notifications.Api.Features;
using Songjiang.Notifications.Api.Infrastructure;
using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Songjiang.Notifications.Api.Streaming;

/// <summary>One open event stream.</summary>
public sealed class StreamConnection : IDisposable
{
    private readonly CancellationTokenSource _closed = new();

    internal StreamConnection(string userId, IReadOnlyList<string> recipients, long startPosition)
    {
        UserId = userId;
        Recipients = recipients;
        StartPosition = startPosition;
    }

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
/// stream never depends on the replica that handled the event.
/// </summary>
public sealed partial class StreamHub(
    IServiceScopeFactory scopes, IOptions<NotificationsOptions> options, TimeProvider clock, ILogger<StreamHub> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<StreamConnection, byte>> _byRecipient = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LinkedList<StreamConnection>> _byUser = new(StringComparer.Ordinal);
    private readonly Lock _users = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _position;
    private int _count;

    /// <summary>Open streams on this replica.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The last stream position this replica has handed out.</summary>
    public long Position => Interlocked.Read(ref _position);

    /// <summary>Opens a stream for a user; beyond the per-user limit the user's oldest stream is closed.</summary>
    public async Task<StreamConnection> OpenAsync(string userId, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        await _started.Task.WaitAsync(cancellationToken);
        var connection = new StreamConnection(userId, recipients, Position);
        foreach (var recipient in recipients)
        {
            _byRecipient.GetOrAdd(recipient, _ => new()).TryAdd(connection, 0);
        }
        List<StreamConnection> evicted = [];
        lock (_users)
        {
            if (!_byUser.TryGetValue(userId, out var list))
            {
                _byUser[userId] = list = new LinkedList<StreamConnection>();
            }
            list.AddLast(connection);
            while (list.Count > options.Value.MaxStreamsPerUser)
            {
                evicted.Add(list.First!.Value);
                list.RemoveFirst();
            }
        }
        Interlocked.Increment(ref _count);
        foreach (var old in evicted)
        {
            LogEvicted(userId);
            old.Close();
        }
        return connection;
    }

    /// <summary>Forgets a stream that ended.</summary>
    public void Close(StreamConnection connection)
    {
        foreach (var recipient in connection.Recipients)
        {
            if (_byRecipient.TryGetValue(recipient, out var set))
            {
                set.TryRemove(connection, out _);
            }
        }
        lock (_users)
        {
            if (_byUser.TryGetValue(connection.UserId, out var list))
            {
                list.Remove(connection);
                if (list.Count == 0)
                {
                    _byUser.Remove(connection.UserId);
                }
            }
        }
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
            catch (Exception ex) when (ex is not OperationCanceledException)
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

    [LoggerMessage(LogLevel.Information, "User {UserId} opened more streams than allowed; the oldest was closed")]
    private partial void LogEvicted(string userId);

    [LoggerMessage(LogLevel.Warning, "Reading new messages for the open streams failed; trying again")]
    private partial void LogPollFailed(Exception ex);
}
