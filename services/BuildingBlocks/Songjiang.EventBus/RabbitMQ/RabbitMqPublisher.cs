using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Songjiang.EventBus;

/// <summary>
/// Publishes persistent messages on one channel with publisher confirms, so a publish completes only once the broker
/// has taken responsibility for the message. Through a broker outage it keeps trying until
/// <see cref="RabbitMqOptions.PublishTimeout"/>; the resulting duplicates are harmless because consumers de-duplicate by id.
/// </summary>
internal sealed partial class RabbitMqPublisher(
    RabbitMqConnections connections,
    IOptions<EventBusOptions> options,
    ILogger<RabbitMqPublisher> logger) : IEventTransport, IAsyncDisposable
{
    /// <summary>
    /// Publishes awaiting their confirm at once. Kept below the client's own limit of outstanding confirms (128), past
    /// which large bursts (an outbox batch) were seen to stall on one channel.
    /// </summary>
    private const int MaxInFlight = 100;

    private readonly RabbitMqOptions _options = options.Value.RabbitMQ;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _inFlight = new(MaxInFlight, MaxInFlight);
    private readonly ConcurrentDictionary<string, bool> _declaredTopics = new(StringComparer.Ordinal);
    private IChannel? _channel;

    public async Task PublishAsync(string topic, string messageId, ReadOnlyMemory<byte> envelope, CancellationToken ct)
    {
        // Linked only when the caller can cancel: a plain source with a timer is the cheaper one per publish.
        using var timeout = ct.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(ct) : new CancellationTokenSource();
        timeout.CancelAfter(_options.PublishTimeout);
        var properties = new BasicProperties
        {
            Persistent = true,
            ContentType = CloudEventFormat.ContentType,
            MessageId = messageId,
        };

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (attempt > 1)
                {
                    // Inside the try, so that a timeout while waiting for recovery ends as a TimeoutException too (a
                    // cancellation escaping from here stopped the whole service when an outage outlasted the timeout).
                    await Task.Delay(_options.RecoveryInterval, timeout.Token);
                }

                var channel = await GetChannelAsync(topic, timeout.Token);
                await _inFlight.WaitAsync(timeout.Token);
                try
                {
                    await channel.BasicPublishAsync(topic, routingKey: "", mandatory: false, properties, envelope, timeout.Token);
                }
                finally
                {
                    _inFlight.Release();
                }

                return;
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                throw new TimeoutException($"RabbitMQ did not confirm event {messageId} on '{topic}' within {_options.PublishTimeout}.");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Connection lost, channel closed or the broker nacked: wait for recovery and send again.
                LogPublishRetry(ex, topic, messageId, attempt);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is { } channel)
        {
            await channel.DisposeAsync();
        }

        _gate.Dispose();
        _inFlight.Dispose();
    }

    private async ValueTask<IChannel> GetChannelAsync(string topic, CancellationToken ct)
    {
        var channel = _channel is { IsOpen: true } open ? open : await OpenChannelAsync(ct);
        if (!_declaredTopics.ContainsKey(topic))
        {
            await DeclareTopicAsync(channel, topic, ct);
        }

        return channel;
    }

    /// <summary>Publishing to a missing exchange closes the channel, so each topic is declared once first, as a Dapr sidecar does.</summary>
    private async Task DeclareTopicAsync(IChannel channel, string topic, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (!_declaredTopics.ContainsKey(topic))
            {
                await RabbitMqTopology.DeclareTopicAsync(channel, topic, ct);
                _declaredTopics[topic] = true;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IChannel> OpenChannelAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_channel is { IsOpen: true } open)
            {
                return open;
            }

            var connection = await connections.Publisher.GetAsync(ct);
            if (!connection.IsOpen)
            {
                throw new InvalidOperationException("The RabbitMQ connection is down and recovering.");
            }

            // The old channel, if any, died with a channel error; the connection itself recovers channels on its own.
            if (_channel is { } closed)
            {
                await closed.DisposeAsync();
            }

            _declaredTopics.Clear();
            _channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
                ct);
            return _channel;
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(LogLevel.Warning, "Publishing event {MessageId} to {Topic} failed (attempt {Attempt}); retrying")]
    private partial void LogPublishRetry(Exception ex, string topic, string messageId, int attempt);
}
