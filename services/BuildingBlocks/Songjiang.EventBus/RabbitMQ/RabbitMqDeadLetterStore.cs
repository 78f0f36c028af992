using System.Text;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Songjiang.EventBus;

/// <summary>
/// Reads the broker's dead-letter queues of this application. Listing takes messages without acknowledging them and
/// closes the channel, which returns them to the queue; replay re-sends one message to this application's own queue
/// (through the default exchange, so other subscribers of the topic do not see it again) and then acknowledges it.
/// </summary>
internal sealed class RabbitMqDeadLetterStore(
    RabbitMqConnections connections,
    EventSubscriptions subscriptions,
    IOptions<EventBusOptions> options) : IDeadLetterStore
{
    private readonly string _appId = options.Value.AppId;

    public async Task<IReadOnlyList<DeadLetter>> ListAsync(int limit, CancellationToken ct)
    {
        var deadLetters = new List<DeadLetter>();
        await using var channel = await OpenChannelAsync(ct);
        foreach (var subscription in subscriptions.All)
        {
            var queue = RabbitMqTopology.QueueName(_appId, subscription.Topic);
            while (deadLetters.Count < limit
                && await channel.BasicGetAsync(RabbitMqTopology.DeadLetterQueueName(queue), autoAck: false, ct) is { } message)
            {
                deadLetters.Add(ToDeadLetter(subscription.Topic, message));
            }
        }

        return deadLetters;
    }

    public async Task<bool> ReplayAsync(string messageId, CancellationToken ct)
    {
        await using var channel = await OpenChannelAsync(ct, confirms: true);
        foreach (var subscription in subscriptions.All)
        {
            var queue = RabbitMqTopology.QueueName(_appId, subscription.Topic);
            var deadLetterQueue = RabbitMqTopology.DeadLetterQueueName(queue);
            while (await channel.BasicGetAsync(deadLetterQueue, autoAck: false, ct) is { } message)
            {
                if (MessageIdOf(message) != messageId)
                {
                    continue;
                }

                var properties = new BasicProperties(message.BasicProperties) { Headers = null };
                await channel.BasicPublishAsync("", queue, mandatory: true, properties, message.Body, ct);
                await channel.BasicAckAsync(message.DeliveryTag, multiple: false, ct);
                return true;
            }
        }

        return false;
    }

    private async Task<IChannel> OpenChannelAsync(CancellationToken ct, bool confirms = false)
    {
        var connection = await connections.Consumer.GetAsync(ct);
        return await connection.CreateChannelAsync(new CreateChannelOptions(confirms, confirms), ct);
    }

    /// <summary>
    /// The AMQP message id this transport sets, else the envelope's <c>id</c>: a Dapr sidecar publishes without a message id.
    /// </summary>
    private static string? MessageIdOf(BasicGetResult message)
    {
        if (message.BasicProperties.MessageId is { Length: > 0 } messageId)
        {
            return messageId;
        }

        try
        {
            return CloudEventFormat.Parse(message.Body).Id;
        }
        catch (InvalidEnvelopeException)
        {
            return null;
        }
    }

    private static DeadLetter ToDeadLetter(string topic, BasicGetResult message)
    {
        var death = message.BasicProperties.Headers?.TryGetValue("x-death", out var value) == true
            && value is IList<object> { Count: > 0 } deaths
            && deaths[0] is IDictionary<string, object?> first
                ? first
                : null;
        var reason = death?.TryGetValue("reason", out var r) == true && r is byte[] bytes ? Encoding.UTF8.GetString(bytes) : "rejected";
        DateTimeOffset? when = death?.TryGetValue("time", out var t) == true && t is AmqpTimestamp timestamp
            ? DateTimeOffset.FromUnixTimeSeconds(timestamp.UnixTime)
            : null;

        return new DeadLetter(
            MessageIdOf(message) ?? $"delivery-{message.DeliveryTag}",
            topic,
            when,
            $"{reason} after the retries (see the consumer's log for the handler error)",
            Encoding.UTF8.GetString(message.Body.Span));
    }
}
