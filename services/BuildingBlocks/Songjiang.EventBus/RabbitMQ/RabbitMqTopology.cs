using RabbitMQ.Client;

namespace Songjiang.EventBus;

/// <summary>
/// The topology of Dapr's <c>pubsub.rabbitmq</c> component (https://docs.dapr.io/reference/components-reference/supported-pubsub/setup-rabbitmq/),
/// so a Dapr sidecar and this transport can share one broker: a durable fanout exchange per topic, a durable queue
/// <c>{appId}-{topic}</c> per consuming application, and per queue a dead-letter exchange <c>dlx-{queue}</c> with its
/// queue <c>dlq-{queue}</c>. Declarations must match Dapr's arguments exactly, or the broker refuses the second declarer.
/// </summary>
internal static class RabbitMqTopology
{
    public static string QueueName(string appId, string topic) => $"{appId}-{topic}";

    public static string DeadLetterExchangeName(string queue) => $"dlx-{queue}";

    public static string DeadLetterQueueName(string queue) => $"dlq-{queue}";

    public static Task DeclareTopicAsync(IChannel channel, string topic, CancellationToken ct) =>
        channel.ExchangeDeclareAsync(topic, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: ct);

    /// <returns>The name of the consumer queue.</returns>
    public static async Task<string> DeclareConsumerQueueAsync(IChannel channel, string appId, string topic, CancellationToken ct)
    {
        var queue = QueueName(appId, topic);
        var deadLetterExchange = DeadLetterExchangeName(queue);
        var deadLetterQueue = DeadLetterQueueName(queue);

        await DeclareTopicAsync(channel, topic, ct);
        await channel.ExchangeDeclareAsync(deadLetterExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: ct);
        await channel.QueueDeclareAsync(deadLetterQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: ct);
        await channel.QueueBindAsync(deadLetterQueue, deadLetterExchange, routingKey: "", cancellationToken: ct);

        var arguments = new Dictionary<string, object?> { ["x-dead-letter-exchange"] = deadLetterExchange };
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments, cancellationToken: ct);
        await channel.QueueBindAsync(queue, topic, routingKey: "", cancellationToken: ct);
        return queue;
    }
}
