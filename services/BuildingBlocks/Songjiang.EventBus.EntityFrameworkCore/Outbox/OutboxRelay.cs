using System.Buffers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Songjiang.EventBus;

/// <summary>
/// Publishes the outbox of <typeparamref name="TContext"/>: the events this process commits as they are handed off
/// (<see cref="OutboxHandOff{TContext}"/>), and by polling — on start, when woken, and every poll interval — the events
/// nobody holds: saved before a crash, by a transaction the hand-off does not see, or released after a failure. A polled
/// batch is claimed first, so any number of replicas can run it; an event that fails to publish is retried with
/// back-off and never dropped.
/// </summary>
internal sealed partial class OutboxRelay<TContext>(
    IServiceScopeFactory scopes,
    IEventTransport transport,
    OutboxSignal<TContext> signal,
    OutboxHandOff<TContext> handOff,
    IOptions<OutboxOptions> outboxOptions,
    IOptions<EventBusOptions> busOptions,
    TimeProvider time,
    ILogger<OutboxRelay<TContext>> logger) : BackgroundService
    where TContext : DbContext
{
    private static readonly TimeSpan CleanupInterval = TimeSpan.FromHours(1);
    private readonly OutboxOptions _options = outboxOptions.Value;
    private readonly EventBusOptions _bus = busOptions.Value;
    private readonly string _machine = Environment.MachineName[..Math.Min(Environment.MachineName.Length, 31)];
    private DateTime _nextCleanup = DateTime.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        // Several loops of each kind, so one batch is marked while another waits for its confirms; a claim keeps polled
        // batches apart as it keeps replicas apart, and each handed-off event is read from memory once.
        var workers = new Task[2 * _options.Workers];
        for (var worker = 0; worker < _options.Workers; worker++)
        {
            workers[2 * worker] = RelayLoopAsync(cleansUp: worker == 0, stoppingToken);
            workers[(2 * worker) + 1] = HandOffLoopAsync(stoppingToken);
        }

        try
        {
            await Task.WhenAll(workers);
        }
        finally
        {
            await ReleaseHandOffsAsync();
        }
    }

    private async Task HandOffLoopAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var batch = new List<OutboxMessage>(_options.BatchSize);
        while (await handOff.Reader.WaitToReadAsync(stoppingToken))
        {
            // An event whose lease is half gone is left to the poll, which takes it once the lease passes: were it
            // published now, the two could overlap.
            var freshUntil = time.GetUtcNow().UtcDateTime + (_options.LockDuration / 2);
            batch.Clear();
            while (batch.Count < _options.BatchSize && handOff.Reader.TryRead(out var message))
            {
                if (message.LockedUntil > freshUntil)
                {
                    batch.Add(message);
                }
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var store = new OutboxStore(scope.ServiceProvider.GetRequiredService<TContext>());
                await PublishAndMarkAsync(store, batch, (sentAt, ct) => store.MarkSentAsync(batch.Select(m => m.Id).ToArray(), handOff.Owner, sentAt, ct), stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The rows stay leased to this process; the poll takes them once the lease passes.
                LogRelayFailed(ex);
            }
        }
    }

    /// <summary>On the way out, gives up the leases of events handed off but not published, for a replica or the restart.</summary>
    private async Task ReleaseHandOffsAsync()
    {
        if (!handOff.HasLeased)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await using var scope = scopes.CreateAsyncScope();
            await new OutboxStore(scope.ServiceProvider.GetRequiredService<TContext>()).ReleaseAsync(handOff.Owner, timeout.Token);
        }
        catch (Exception ex)
        {
            // Their leases pass on their own.
            LogReleaseFailed(ex);
        }
    }

    private async Task RelayLoopAsync(bool cleansUp, CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            int published;
            try
            {
                published = await RelayBatchAsync(cleansUp, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The database is unreachable (or a transport gave up in a way of its own); the events are safe in it,
                // so wait and try again. Only the service's stopping ends the loop: a fault here would stop the host.
                LogRelayFailed(ex);
                published = 0;
            }

            if (published < _options.BatchSize)
            {
                await signal.WaitAsync(_options.PollInterval, stoppingToken);
            }
        }
    }

    private async Task<int> RelayBatchAsync(bool cleansUp, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = new OutboxStore(scope.ServiceProvider.GetRequiredService<TContext>());
        var now = time.GetUtcNow().UtcDateTime;
        if (cleansUp)
        {
            await CleanUpAsync(store, now, ct);
        }

        // A fresh owner per claim (machine, so operators see who holds a row, and a unique id; 64 characters at most):
        // the batch is then marked sent by its owner alone, however many rows it has.
        var owner = $"{_machine}/{Guid.CreateVersion7():N}";
        var batch = await store.ClaimAsync(owner, _options.BatchSize, now, now + _options.LockDuration, ct);
        if (batch.Count == 0)
        {
            return 0;
        }

        await PublishAndMarkAsync(store, batch, (sentAt, token) => store.MarkSentAsync(owner, sentAt, token), ct);
        return batch.Count;
    }

    /// <summary>Publishes a batch, releases its failures for a retry with back-off and marks the rest sent.</summary>
    private async Task PublishAndMarkAsync(
        OutboxStore store, List<OutboxMessage> batch, Func<DateTime, CancellationToken, Task> markSent, CancellationToken ct)
    {
        var outcomes = await Task.WhenAll(batch.Select(m => PublishAsync(m, ct)));
        var sentAt = time.GetUtcNow().UtcDateTime;

        // Failures (rare) first, one by one with their own back-off; releasing them drops the owner, so what still
        // carries it afterwards was published and is marked sent in one statement.
        var failed = 0;
        foreach (var (message, error) in outcomes)
        {
            if (error is not null)
            {
                failed++;
                var retryAt = sentAt + RetryBackoff.Delay(message.Attempts, _bus.RetryBaseDelay, _bus.RetryMaxDelay);
                await store.MarkFailedAsync(message.Id, error, retryAt, ct);
            }
        }

        if (failed < outcomes.Length)
        {
            await markSent(sentAt, ct);
        }

        foreach (var (message, error) in outcomes)
        {
            if (error is null)
            {
                EventBusDiagnostics.OutboxLag.Record((sentAt - message.CreatedAt).TotalSeconds, EventBusDiagnostics.TopicTag(message.Topic));
            }
        }
    }

    private async Task<(OutboxMessage Message, string? Error)> PublishAsync(OutboxMessage message, CancellationToken ct)
    {
        // The envelope is stored as text; encode it into a pooled buffer, held until the broker confirmed.
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(message.Envelope.Length));
        using var envelope = new RentedEnvelope(buffer, Encoding.UTF8.GetBytes(message.Envelope, buffer));
        try
        {
            // In-process queues die with the process: there the row stays pending until every consumer handled the
            // event, so a crash before that publishes it again after the restart (the consumers' inboxes dedupe).
            var publish = transport is IHandlingTransport inProcess
                ? inProcess.PublishUntilHandledAsync(message.Topic, message.Id.ToString(), envelope.Memory, ct).WaitAsync(_options.LockDuration, ct)
                : transport.PublishAsync(message.Topic, message.Id.ToString(), envelope.Memory, ct);
            await publish;
            EventBusDiagnostics.Published.Add(1, EventBusDiagnostics.TopicTag(message.Topic), EventBusDiagnostics.AppTag(_bus.AppId));
            return (message, null);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Any failure but the service's stopping, a transport's own cancellation included, leaves the event pending.
            LogPublishFailed(ex, message.Id, message.Topic, message.Attempts + 1);
            return (message, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private async Task CleanUpAsync(OutboxStore store, DateTime now, CancellationToken ct)
    {
        if (now < _nextCleanup)
        {
            return;
        }

        _nextCleanup = now + CleanupInterval;
        await store.DeleteSentBeforeAsync(now - _options.SentRetention, ct);
    }

    [LoggerMessage(LogLevel.Error, "The outbox relay could not reach its database; retrying")]
    private partial void LogRelayFailed(Exception ex);

    [LoggerMessage(LogLevel.Warning, "The outbox relay could not release the events handed to it; they wait for their lease to pass")]
    private partial void LogReleaseFailed(Exception ex);

    [LoggerMessage(LogLevel.Warning, "Publishing outbox event {EventId} to {Topic} failed (attempt {Attempt}); it stays in the outbox")]
    private partial void LogPublishFailed(Exception ex, Guid eventId, string topic, int attempt);
}
