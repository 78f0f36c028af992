using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Songjiang.EventBus;

/// <summary>Wraps events in the CloudEvents envelope, with the caller's trace context, and hands them to the transport.</summary>
internal sealed class EventBus(IEventTransport transport, IOptions<EventBusOptions> options) : IEventBus
{
    private readonly string _appId = options.Value.AppId;
    private readonly JsonEncodedText _source = JsonEncodedText.Encode(options.Value.AppId);

    public async Task PublishAsync(IntegrationEvent evt, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var type = EventTypeMetadata.Of(evt.GetType());
        var messageId = evt.Id.ToString();
        using var activity = EventBusDiagnostics.StartPublish(type, messageId);
        using var envelope = CloudEventFormat.WriteRented(evt, type, _source, activity ?? Activity.Current);

        await transport.PublishAsync(type.Topic, messageId, envelope.Memory, ct);
        EventBusDiagnostics.Published.Add(1, EventBusDiagnostics.TopicTag(type.Topic), EventBusDiagnostics.AppTag(_appId));
    }
}
