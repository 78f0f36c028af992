using Dapr;
using Dapr.Client;
using Microsoft.Extensions.Options;

namespace Songjiang.EventBus;

/// <summary>
/// Publishes through the sidecar with <see cref="DaprClient"/> (gRPC <c>dapr.proto.runtime.v1.Dapr/PublishEvent</c>).
/// The body is already a CloudEvent and goes with content type <c>application/cloudevents+json</c>, so the sidecar keeps
/// our id, source, type and data instead of wrapping it again. See https://docs.dapr.io/reference/api/pubsub_api/.
/// </summary>
internal sealed class DaprPublisher(DaprClient dapr, IOptions<EventBusOptions> options) : IEventTransport
{
    private readonly string _pubSubName = options.Value.Dapr.PubSubName;

    public async Task PublishAsync(string topic, string messageId, ReadOnlyMemory<byte> envelope, CancellationToken ct)
    {
        try
        {
            // The client copies the bytes into its request before the call starts, so the caller's pooled buffer may go back after it.
            await dapr.PublishByteEventAsync(_pubSubName, topic, envelope, CloudEventFormat.ContentType, metadata: null, ct);
        }
        catch (DaprException ex)
        {
            throw new InvalidOperationException($"The Dapr sidecar refused event {messageId} on '{topic}': {ex.InnerException?.Message ?? ex.Message}", ex);
        }
    }
}
