using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Songjiang.EventBus;

/// <summary>
/// Consumes this application's queues with manual acknowledgements and a bounded prefetch. A message is acknowledged
/// only after its handlers succeeded, or rejected to its dead-letter queue after the retries; if the process dies in
/// between, the broker redelivers it to another replica.
/// </summary>
/// <remarks>
/// The client library recovers the channel and its consumers after the connection drops. A channel the broker closes on
/// its own while the connection stays up (a consumer timeout, a protocol error) is not recovered by the library: it is
/// watched here, and subscribed again once it has stayed closed for a recovery interval.
/// </remarks>
internal sealed partial class RabbitMqConsumerService(
    RabbitMqConnections connections,
    EventSubscriptions subscriptions,
    RetryingDelivery delivery,
    IOptions<EventBusOptions> options,
    ILogger<RabbitMqConsumerService> logger) : BackgroundService
{
    private readonly EventBusOptions _options = options.Value;
    private readonly CancellationTokenSource _stopping = new();
    private IChannel? _channel;

    /// <summary>The channel the service consumes on; null while it subscribes.</summary>
    internal IChannel? Channel => _channel;

    /// <summary>Whether this service takes its queues' messages now (always, if it subscribes to nothing).</summary>
    public bool IsConsuming => !subscriptions.All.Any() || _channel?.IsOpen == true;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Subscribe before the host reports started, so events published right after start reach our queues.
        // If the broker is down, ExecuteAsync keeps trying in the background instead of blocking the service's start.
        await TrySubscribeAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await base.StopAsync(cancellationToken);
        if (_channel is { } channel)
        {
            // Closing the channel returns unacknowledged messages to their queues.
            await channel.DisposeAsync();
        }
    }

    public override void Dispose()
    {
        _stopping.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var closedBefore = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(_options.RabbitMQ.RecoveryInterval, stoppingToken);
            if (_channel is not { } channel)
            {
                await TrySubscribeAsync(stoppingToken);
                continue;
            }

            // Open, or closed with its connection, which the library is recovering together with the channel.
            if (channel.IsOpen || !connections.Consumer.IsOpen)
            {
                closedBefore = false;
                continue;
            }

            // Closed while the connection is up: the library may be in the middle of recovering it; give it an interval.
            if (!closedBefore)
            {
                closedBefore = true;
                continue;
            }

            closedBefore = false;
            LogConsumerChannelClosed(channel.CloseReason?.ReplyCode ?? 0, channel.CloseReason?.ReplyText ?? "");
            _channel = null;
            await channel.DisposeAsync();
            await TrySubscribeAsync(stoppingToken);
        }
    }

    private async Task TrySubscribeAsync(CancellationToken ct)
    {
        if (!subscriptions.All.Any())
        {
            return;
        }

        IChannel? channel = null;
        try
        {
            var connection = await connections.Consumer.GetAsync(ct);
            channel = await connection.CreateChannelAsync(cancellationToken: ct);
            await channel.BasicQosAsync(prefetchSize: 0, prefetchCount: (ushort)_options.Prefetch, global: false, ct);
            foreach (var subscription in subscriptions.All)
            {
                await ConsumeAsync(channel, subscription.Topic, ct);
            }

            _channel = channel;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSubscribeFailed(ex);
            if (channel is not null)
            {
                // Drop a half-subscribed channel, so the next attempt does not add a second set of consumers.
                await channel.DisposeAsync();
            }
        }
    }

    private async Task ConsumeAsync(IChannel channel, string topic, CancellationToken ct)
    {
        var queue = await RabbitMqTopology.DeclareConsumerQueueAsync(channel, _options.AppId, topic, ct);
        await channel.BasicConsumeAsync(queue, autoAck: false, new TopicConsumer(this, channel, topic), ct);
    }

    private async Task OnReceivedAsync(IChannel channel, string topic, ulong deliveryTag, IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body)
    {
        try
        {
            if (await delivery.DeliverAsync(topic, body, _stopping.Token) is null)
            {
                await channel.BasicAckAsync(deliveryTag, multiple: false);
            }
            else
            {
                // requeue: false sends it through the queue's dead-letter exchange to dlq-{queue}.
                await channel.BasicNackAsync(deliveryTag, multiple: false, requeue: false);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Left unacknowledged: the broker redelivers it when this channel closes.
        }
        catch (Exception ex)
        {
            // The channel died under us (broker restart): the delivery tag is void and the broker redelivers the message.
            LogSettleFailed(ex, topic, properties.MessageId);
        }
    }

    [LoggerMessage(LogLevel.Warning, "The broker closed the consumer channel ({ReplyCode} {ReplyText}); subscribing again")]
    private partial void LogConsumerChannelClosed(ushort replyCode, string replyText);

    [LoggerMessage(LogLevel.Warning, "Subscribing to RabbitMQ failed; retrying")]
    private partial void LogSubscribeFailed(Exception ex);

    [LoggerMessage(LogLevel.Warning, "Could not settle message {MessageId} on {Topic}; the broker will redeliver it")]
    private partial void LogSettleFailed(Exception ex, string topic, string? messageId);

    /// <summary>
    /// Delivers one topic's messages straight to the service, without the event arguments object and handler list of
    /// <see cref="AsyncEventingBasicConsumer"/>. The body is valid until the returned task completes, which is after
    /// the message was handled and settled.
    /// </summary>
    private sealed class TopicConsumer(RabbitMqConsumerService service, IChannel channel, string topic) : AsyncDefaultBasicConsumer(channel)
    {
        public override Task HandleBasicDeliverAsync(
            string consumerTag,
            ulong deliveryTag,
            bool redelivered,
            string exchange,
            string routingKey,
            IReadOnlyBasicProperties properties,
            ReadOnlyMemory<byte> body,
            CancellationToken cancellationToken = default) =>
            service.OnReceivedAsync(Channel, topic, deliveryTag, properties, body);
    }
}
