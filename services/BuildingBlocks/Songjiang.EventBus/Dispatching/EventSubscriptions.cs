using Microsoft.Extensions.DependencyInjection;

namespace Songjiang.EventBus;

/// <summary>The topics this application consumes and the handlers of each, as registered with <c>AddSubscription</c>.</summary>
internal sealed class EventSubscriptions
{
    private readonly Dictionary<string, EventSubscription> _byTopic = new(StringComparer.Ordinal);

    public IEnumerable<EventSubscription> All => _byTopic.Values;

    public EventSubscription? Find(string topic) => _byTopic.GetValueOrDefault(topic);

    public void Add<TEvent, THandler>()
        where TEvent : IntegrationEvent
        where THandler : class, IIntegrationEventHandler<TEvent>
    {
        var topic = IntegrationEventAttribute.TopicOf(typeof(TEvent));
        if (!_byTopic.TryGetValue(topic, out var subscription))
        {
            subscription = new EventSubscription(topic, typeof(TEvent));
            _byTopic.Add(topic, subscription);
        }
        else if (subscription.EventType != typeof(TEvent))
        {
            throw new InvalidOperationException(
                $"Topic '{topic}' is already bound to {subscription.EventType.Name}; {typeof(TEvent).Name} needs its own topic.");
        }

        subscription.Handlers.Add(new EventHandlerDescriptor(
            typeof(THandler),
            static (services, evt, ct) => services.GetRequiredService<THandler>().Handle((TEvent)evt, ct)));
    }
}

/// <summary>One consumed topic: its event type and its handlers.</summary>
internal sealed record EventSubscription(string Topic, Type EventType)
{
    public List<EventHandlerDescriptor> Handlers { get; } = [];

    /// <summary>The event type's topic, payload contract and span name, resolved once.</summary>
    public EventTypeMetadata Metadata => field ??= EventTypeMetadata.Of(EventType);
}

/// <summary>A handler type with a typed call into it, so dispatch needs no reflection.</summary>
internal sealed record EventHandlerDescriptor(
    Type HandlerType,
    Func<IServiceProvider, IntegrationEvent, CancellationToken, Task> Invoke)
{
    private ConsumerNameOf? _consumer;

    /// <summary>The stable consumer name, <c>{appId}/{handler type}</c>, formatted once per app id rather than per event.</summary>
    public string ConsumerName(string appId)
    {
        var consumer = _consumer;
        if (consumer is null || !string.Equals(consumer.AppId, appId, StringComparison.Ordinal))
        {
            _consumer = consumer = new ConsumerNameOf(appId, $"{appId}/{HandlerType.FullName}");
        }

        return consumer.Name;
    }

    private sealed record ConsumerNameOf(string AppId, string Name);
}
