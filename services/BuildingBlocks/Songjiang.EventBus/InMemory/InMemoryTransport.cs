namespace Songjiang.EventBus;

internal sealed class InMemoryTransport(InMemoryBroker broker) : IEventTransport, IHandlingTransport
{
    public Task PublishAsync(string topic, string messageId, ReadOnlyMemory<byte> envelope, CancellationToken ct)
    {
        // Copy: the caller may reuse its buffer, and a queued message must stay as published.
        broker.Publish(topic, new InMemoryMessage(messageId, envelope.ToArray()));
        return Task.CompletedTask;
    }

    public Task PublishUntilHandledAsync(string topic, string messageId, ReadOnlyMemory<byte> envelope, CancellationToken ct) =>
        broker.PublishUntilHandled(topic, new InMemoryMessage(messageId, envelope.ToArray())).WaitAsync(ct);
}
