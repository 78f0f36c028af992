using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Songjiang.EventBus;

/// <summary>
/// What publishing and consuming need to know about one event type, looked up once per type instead of per event:
/// the topic, its JSON-encoded form, the serializer's contract for the payload and the span names.
/// </summary>
internal sealed class EventTypeMetadata
{
    private static readonly ConcurrentDictionary<Type, EventTypeMetadata> Cache = new();

    private EventTypeMetadata(Type eventType)
    {
        EventType = eventType;
        Topic = IntegrationEventAttribute.TopicOf(eventType);
        EncodedTopic = JsonEncodedText.Encode(Topic);
        Contract = CloudEventFormat.DataOptions.GetTypeInfo(eventType);
        PublishActivityName = $"{Topic} publish";
        ProcessActivityName = $"{Topic} process";
    }

    public Type EventType { get; }

    public string Topic { get; }

    public JsonEncodedText EncodedTopic { get; }

    /// <summary>The payload's contract under <see cref="CloudEventFormat.DataOptions"/> (camelCase web defaults).</summary>
    public JsonTypeInfo Contract { get; }

    public string PublishActivityName { get; }

    public string ProcessActivityName { get; }

    /// <exception cref="InvalidOperationException">The type carries no <see cref="IntegrationEventAttribute"/>.</exception>
    public static EventTypeMetadata Of(Type eventType) =>
        Cache.TryGetValue(eventType, out var metadata) ? metadata : Cache.GetOrAdd(eventType, static type => new EventTypeMetadata(type));
}
