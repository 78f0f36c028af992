namespace Songjiang.EventBus;

/// <summary>Sends an already formatted envelope to a topic; the one place where transports differ for publishers.</summary>
internal interface IEventTransport
{
    /// <summary>Completes once the transport holds the message durably (a broker confirm, a sidecar 2xx).</summary>
    Task PublishAsync(string topic, string messageId, ReadOnlyMemory<byte> envelope, CancellationToken ct);
}
