namespace Songjiang.EventBus;

/// <summary>Sends an already formatted envelope to a topic; the one place where transports differ for publishers.</summary>
internal interface IEventTransport
{
    /// <summary>Completes once the transport holds the message durably (a broker confirm, a sidecar 2xx).</summary>
    /// <param name="topic">The topic.</param>
    /// <param name="messageId">The event id.</param>
    /// <param name="envelope">
    /// The CloudEvents JSON. It is a pooled buffer that the caller reuses as soon as the returned task completes: a
    /// transport that keeps the bytes longer (a queue, a request body still being streamed) must copy them.
    /// </param>
    /// <param name="ct">Cancels the publish.</param>
    Task PublishAsync(string topic, string messageId, ReadOnlyMemory<byte> envelope, CancellationToken ct);
}
