using System.Buffers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Songjiang.EventBus;

/// <summary>
/// Publishes the outbox of <typeparamref name="TContext"/>: on start (events a crash left behind), whenever the
/// service saves new events, and every poll interval. Each batch is claimed first, so any number of replicas can run
/// it; an event that fails to publish is retried with back-off and never dropped.
/// </summary>
internal sealed partial class OutboxRelay<TContext>(
    IServiceScopeFactory scopes,
    IEventTransport transport,
    OutboxSignal<TContext> signal,
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
        // Several loops, so one batch is claimed and marked while another waits for its confirms; the claim keeps them
        // apart as it keeps replicas apart.
        var workers = new Task[_options.Workers];
        for (var worker = 0; worker < workers.Length; worker++)
        {
            workers[worker] = RelayLoopAsync(cleansUp: worker == 0, stoppingToken);
        }

        await Task.WhenAll(workers);
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
            await store.MarkSentAsync(owner, sentAt, ct);
        }

        foreach (var (message, error) in outcomes)
        {
            if (error is null)
            {
                EventBusDiagnostics.OutboxLag.Record((sentAt - message.CreatedAt).TotalSeconds, EventBusDiagnostics.TopicTag(message.Topic));
            }
        }

        return batch.Count;
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

    [LoggerMessage(LogLevel.Warning, "Publishing outbox event {EventId} to {Topic} failed (attempt {Attempt}); it stays in the outbox")]
    private partial void LogPublishFailed(Exception ex, Guid eventId, string topic, int attempt);
}
