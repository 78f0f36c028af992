using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace Songjiang.EventBus;

/// <summary>
/// Publishes through the sidecar's pub/sub HTTP API (<c>POST /v1.0/publish/{pubsub}/{topic}</c>). The body is already a
/// CloudEvent, so the sidecar keeps our id, source, type and trace context instead of wrapping it again.
/// See https://docs.dapr.io/reference/api/pubsub_api/.
/// </summary>
internal sealed class DaprPublisher(HttpClient http, IOptions<EventBusOptions> options) : IEventTransport
{
    private readonly DaprOptions _options = options.Value.Dapr;

    public async Task PublishAsync(string topic, string messageId, ReadOnlyMemory<byte> envelope, CancellationToken ct)
    {
        var uri = new Uri(_options.HttpEndpoint!, $"v1.0/publish/{Uri.EscapeDataString(_options.PubSubName)}/{Uri.EscapeDataString(topic)}");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            // A copy: the caller's buffer is pooled, and a body may still be read after the response headers arrived.
            Content = new ByteArrayContent(envelope.ToArray()) { Headers = { ContentType = new MediaTypeHeaderValue(CloudEventFormat.ContentType) } },
        };
        if (_options.ApiToken is { Length: > 0 } token)
        {
            request.Headers.Add(DaprSidecar.ApiTokenHeader, token);
        }

        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            var detail = await response.Content.ReadAsStringAsync(ct);
            throw new HttpRequestException(
                $"The Dapr sidecar refused event {messageId} on '{topic}': {(int)response.StatusCode} {detail}", null, response.StatusCode);
        }
    }
}
