using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Songjiang.EventBus;

/// <summary>Wraps events in the CloudEvents envelope, with the caller's trace context, and hands them to the transport.</summary>
internal sealed class EventBus(IEventTransport transport, IOptions<EventBusOptions> options) : IEventBus
{
    private readonly string _appId = options.Value.AppId;

    public async Task PublishAsync(IntegrationEvent evt, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var topic = IntegrationEventAttribute.TopicOf(evt.GetType());
        using var activity = StartPublish(topic, evt);
        var envelope = CloudEventFormat.Write(
            evt, topic, _appId, CloudEventFormat.TraceParentOf(activity ?? Activity.Current), (activity ?? Activity.Current)?.TraceStateString);

        await transport.PublishAsync(topic, evt.Id.ToString(), envelope, ct);
        EventBusDiagnostics.Published.Add(1, EventBusDiagnostics.TopicTag(topic), EventBusDiagnostics.AppTag(_appId));
    }

    internal static Activity? StartPublish(string topic, IntegrationEvent evt)
    {
        var activity = EventBusDiagnostics.ActivitySource.StartActivity($"{topic} publish", ActivityKind.Producer);
        activity?.SetTag("messaging.destination.name", topic);
        activity?.SetTag("messaging.message.id", evt.Id.ToString());
        return activity;
    }
}
