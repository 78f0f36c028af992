using RabbitMQ.Client;

namespace Songjiang.EventBus;

/// <summary>
/// The topology of Dapr's <c>pubsub.rabbitmq</c> component (https://docs.dapr.io/reference/components-reference/supported-pubsub/setup-rabbitmq/),
/// so a Dapr sidecar and this transport can share one broker: a durable fanout exchange per topic, a durable queue
/// <c>{appId}-{topic}</c> per consuming application, and per queue a dead-letter exchange <c>dlx-{queue}</c> with its
/// queue <c>dlq-{queue}</c>.
/// </summary>
/// <remarks>
/// RabbitMQ refuses a declaration whose arguments differ from the existing queue's (<c>PRECONDITION_FAILED -
/// inequivalent arg</c>), so each declaration here carries exactly the arguments the component's <c>prepareSubscription</c>
/// sends with <c>deploy/dapr/components/pubsub.yaml</c> (<c>durable: true</c>, <c>deletedWhenUnused: false</c>,
/// <c>enableDeadLetter: true</c>, no <c>maxLen</c>/<c>maxLenBytes</c>, no per-subscription queue type): the dead-letter
/// queue is lazy, and the consumer queue names its dead-letter exchange and the classic queue type.
/// </remarks>
internal static class RabbitMqTopology
{
    /// <summary>Arguments of every dead-letter queue: Dapr keeps them on disk (<c>x-queue-mode: lazy</c>).</summary>
    public static IReadOnlyDictionary<string, object?> DeadLetterQueueArguments { get; } =
        new Dictionary<string, object?> { ["x-queue-mode"] = "lazy" };

    public static string QueueName(string appId, string topic) => $"{appId}-{topic}";

    public static string DeadLetterExchangeName(string queue) => $"dlx-{queue}";

    public static string DeadLetterQueueName(string queue) => $"dlq-{queue}";

    /// <summary>Arguments of a consumer queue: its dead-letter exchange and, as Dapr sends when a subscription names no queue type, <c>classic</c>.</summary>
    public static Dictionary<string, object?> ConsumerQueueArguments(string queue) => new()
    {
        ["x-dead-letter-exchange"] = DeadLetterExchangeName(queue),
        ["x-queue-type"] = "classic",
    };

    public static Task DeclareTopicAsync(IChannel channel, string topic, CancellationToken ct) =>
        channel.ExchangeDeclareAsync(topic, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: ct);

    /// <returns>The name of the consumer queue.</returns>
    public static async Task<string> DeclareConsumerQueueAsync(IChannel channel, string appId, string topic, CancellationToken ct)
    {
        var queue = QueueName(appId, topic);
        var deadLetterExchange = DeadLetterExchangeName(queue);
        var deadLetterQueue = DeadLetterQueueName(queue);

        // The same order as Dapr: topic exchange, dead-letter exchange, dead-letter queue and its binding, then the queue.
        await DeclareTopicAsync(channel, topic, ct);
        await channel.ExchangeDeclareAsync(deadLetterExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: ct);
        await channel.QueueDeclareAsync(
            deadLetterQueue, durable: true, exclusive: false, autoDelete: false, new Dictionary<string, object?>(DeadLetterQueueArguments), cancellationToken: ct);
        await channel.QueueBindAsync(deadLetterQueue, deadLetterExchange, routingKey: "", cancellationToken: ct);

        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, ConsumerQueueArguments(queue), cancellationToken: ct);
        await channel.QueueBindAsync(queue, topic, routingKey: "", cancellationToken: ct);
        return queue;
    }
}
