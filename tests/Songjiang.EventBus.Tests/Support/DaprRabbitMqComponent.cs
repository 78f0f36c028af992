using System.Text.Json.Nodes;
using RabbitMQ.Client;
using YamlDotNet.RepresentationModel;

namespace Songjiang.EventBus.Tests.Support;

/// <summary>
/// What Dapr's <c>pubsub.rabbitmq</c> component does on the broker, configured by the platform's
/// <c>deploy/dapr/components/pubsub.yaml</c>: its declarations (<c>prepareSubscription</c> and
/// <c>ensureExchangeDeclared</c> in dapr/components-contrib <c>pubsub/rabbitmq/rabbitmq.go</c>) and the message a
/// sidecar publishes for an app's CloudEvent.
/// </summary>
public sealed class DaprRabbitMqComponent
{
    private readonly IReadOnlyDictionary<string, string> _metadata;

    private DaprRabbitMqComponent(IReadOnlyDictionary<string, string> metadata) => _metadata = metadata;

    /// <summary>The component as the repository configures it.</summary>
    public static DaprRabbitMqComponent FromRepository()
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(Path.Combine(AppContext.BaseDirectory, "dapr", "pubsub.yaml")))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var spec = (YamlMappingNode)root["spec"];
        Assert.Equal("pubsub.rabbitmq", spec["type"].ToString());
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in ((YamlSequenceNode)spec["metadata"]).Children.Cast<YamlMappingNode>())
        {
            if (item.Children.TryGetValue(new YamlScalarNode("value"), out var value))
            {
                metadata[item["name"].ToString()] = value.ToString();
            }
        }

        return new DaprRabbitMqComponent(metadata);
    }

    private bool Durable => Flag("durable", fallback: true);

    private bool DeleteWhenUnused => Flag("deletedWhenUnused", fallback: true);

    private bool EnableDeadLetter => Flag("enableDeadLetter", fallback: false);

    private string ExchangeKind => _metadata.GetValueOrDefault("exchangeKind", "fanout");

    /// <summary>The declarations a sidecar of <paramref name="consumerId"/> makes to subscribe to <paramref name="topic"/>, in its order.</summary>
    public async Task DeclareSubscriptionAsync(IChannel channel, string consumerId, string topic)
    {
        var queue = $"{consumerId}-{topic}";
        await channel.ExchangeDeclareAsync(topic, ExchangeKind, Durable, DeleteWhenUnused);
        var arguments = new Dictionary<string, object?>();
        if (EnableDeadLetter)
        {
            var deadLetterExchange = $"dlx-{queue}";
            var deadLetterQueue = $"dlq-{queue}";
            await channel.ExchangeDeclareAsync(deadLetterExchange, "fanout", durable: true, DeleteWhenUnused);
            var deadLetterArguments = QueueLimits();
            deadLetterArguments["x-queue-mode"] = "lazy";
            await channel.QueueDeclareAsync(deadLetterQueue, durable: true, exclusive: false, DeleteWhenUnused, deadLetterArguments);
            await channel.QueueBindAsync(deadLetterQueue, deadLetterExchange, "");
            arguments["x-dead-letter-exchange"] = deadLetterExchange;
        }

        foreach (var (key, value) in QueueLimits())
        {
            arguments[key] = value;
        }

        // A subscription without a queueType in its metadata gets a classic queue, named explicitly.
        arguments["x-queue-type"] = "classic";
        await channel.QueueDeclareAsync(queue, Durable, exclusive: false, DeleteWhenUnused, arguments);
        await channel.QueueBindAsync(queue, topic, "");
    }

    /// <summary>
    /// Publishes <paramref name="envelope"/> (an app's CloudEvent) as a sidecar does: it adds <c>pubsubname</c> and
    /// <c>topic</c>, replaces <c>traceparent</c> with its own span's and copies it to <c>traceid</c>, sets <c>tracestate</c>
    /// (empty without one), and the component sends the bytes as <c>text/plain</c> without an AMQP message id.
    /// </summary>
    /// <returns>The sidecar's <c>traceparent</c>.</returns>
    public async Task<string> PublishAsSidecarAsync(IChannel channel, string topic, JsonObject envelope)
    {
        var incoming = envelope["traceparent"]?.GetValue<string>();
        var traceId = incoming is { Length: 55 } ? incoming[3..35] : System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();
        var sidecarSpan = $"00-{traceId}-{System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString()}-01";
        envelope["pubsubname"] = "pubsub";
        envelope["topic"] = topic;
        envelope["traceid"] = sidecarSpan;
        envelope["traceparent"] = sidecarSpan;
        envelope["tracestate"] = "";

        var properties = new BasicProperties
        {
            ContentType = "text/plain",
            DeliveryMode = _metadata.GetValueOrDefault("deliveryMode") == "2" ? DeliveryModes.Persistent : DeliveryModes.Transient,
        };
        await channel.ExchangeDeclareAsync(topic, ExchangeKind, Durable, DeleteWhenUnused);
        await channel.BasicPublishAsync(topic, "", mandatory: false, properties, System.Text.Encoding.UTF8.GetBytes(envelope.ToJsonString()));
        return sidecarSpan;
    }

    private Dictionary<string, object?> QueueLimits()
    {
        var limits = new Dictionary<string, object?>();
        if (long.TryParse(_metadata.GetValueOrDefault("maxLen"), out var maxLen) && maxLen > 0)
        {
            limits["x-max-length"] = maxLen;
        }

        if (long.TryParse(_metadata.GetValueOrDefault("maxLenBytes"), out var maxLenBytes) && maxLenBytes > 0)
        {
            limits["x-max-length-bytes"] = maxLenBytes;
        }

        return limits;
    }

    private bool Flag(string name, bool fallback) =>
        _metadata.TryGetValue(name, out var value) && bool.TryParse(value, out var parsed) ? parsed : fallback;
}
