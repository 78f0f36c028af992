using System.Collections.Concurrent;

namespace Songjiang.EventBus;

/// <summary>
/// The in-process broker of embedded mode. Every service of the process shares <see cref="Shared"/>, so events
/// cross service containers the way they cross processes on RabbitMQ: one queue per consuming application and topic,
/// fan-out to every such queue, dead letters per application.
/// </summary>
public sealed class InMemoryBroker
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, InMemoryQueue>> _queuesByTopic = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DeadLetterList> _deadLetters = new(StringComparer.Ordinal);

    /// <summary>The broker shared by all services of the process; register another instance to isolate a host.</summary>
    public static InMemoryBroker Shared { get; } = new();

    /// <summary>
    /// Returns the queue of <paramref name="appId"/> for <paramref name="topic"/>, creating it on first use. Like a
    /// durable broker queue, it receives every event published to the topic from then on, whether or not anyone reads.
    /// </summary>
    public InMemoryQueue Bind(string appId, string topic) =>
        _queuesByTopic
            .GetOrAdd(topic, static _ => new ConcurrentDictionary<string, InMemoryQueue>(StringComparer.Ordinal))
            .GetOrAdd(appId, static _ => new InMemoryQueue());

    internal void Publish(string topic, InMemoryMessage message)
    {
        if (_queuesByTopic.TryGetValue(topic, out var queues))
        {
            foreach (var queue in queues.Values)
            {
                queue.Enqueue(message);
            }
        }
    }

    /// <summary>
    /// Publishes <paramref name="message"/> and returns a task that completes once every consumer service reading one
    /// of the topic's queues has handled or dead-lettered it. Nothing is in a durable queue in this process until
    /// then, so an outbox relay must not mark the event sent before.
    /// </summary>
    internal Task PublishUntilHandled(string topic, InMemoryMessage message)
    {
        var handling = new InMemoryHandling();
        if (_queuesByTopic.TryGetValue(topic, out var queues))
        {
            foreach (var queue in queues.Values)
            {
                queue.Enqueue(message, handling);
            }
        }

        handling.Handled(); // the publisher's own count: the fan-out is complete
        return handling.Completion;
    }

    internal DeadLetterList DeadLettersOf(string appId) =>
        _deadLetters.GetOrAdd(appId, static _ => new DeadLetterList());
}
