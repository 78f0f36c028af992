namespace Songjiang.EventBus;

/// <summary>
/// A transport whose queues live in this process (the in-process broker): a message it holds is lost if the process
/// dies, so "published" means durable only once every consumer has handled it. The outbox relay publishes through
/// this instead of <see cref="IEventTransport.PublishAsync"/> and keeps the row pending until then.
/// </summary>
internal interface IHandlingTransport
{
    /// <summary>
    /// Publishes like <see cref="IEventTransport.PublishAsync"/>, but completes only when every consumer service reading
    /// the topic has handled or dead-lettered the message; fails when one of them stopped before it did.
    /// </summary>
    Task PublishUntilHandledAsync(string topic, string messageId, ReadOnlyMemory<byte> envelope, CancellationToken ct);
}
