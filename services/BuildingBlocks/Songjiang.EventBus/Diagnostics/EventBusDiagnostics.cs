using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Songjiang.EventBus;

/// <summary>
/// The bus's telemetry: traces on <see cref="ActivitySource"/> and metrics on <see cref="Meter"/>, both named
/// <see cref="Name"/>. Add the name to the OpenTelemetry tracer and meter providers to export them.
/// </summary>
public static class EventBusDiagnostics
{
    /// <summary>Name of the activity source and of the meter.</summary>
    public const string Name = "Songjiang.EventBus";

    /// <summary>Spans for publishing (producer) and handling (consumer) events.</summary>
    public static readonly ActivitySource ActivitySource = new(Name);

    /// <summary>The bus's instruments.</summary>
    public static readonly Meter Meter = new(Name);

    internal static readonly Counter<long> Published =
        Meter.CreateCounter<long>("songjiang.eventbus.published", "{event}", "Events accepted by the transport.");

    internal static readonly Counter<long> Delivered =
        Meter.CreateCounter<long>("songjiang.eventbus.delivered", "{event}", "Events handled successfully by a consumer.");

    internal static readonly Counter<long> Retried =
        Meter.CreateCounter<long>("songjiang.eventbus.retried", "{event}", "Handling attempts that failed and will be retried.");

    internal static readonly Counter<long> DeadLettered =
        Meter.CreateCounter<long>("songjiang.eventbus.dead_lettered", "{event}", "Events given up on and dead-lettered.");

    internal static readonly Histogram<double> OutboxLag =
        Meter.CreateHistogram<double>("songjiang.eventbus.outbox.lag", "s", "Time from saving an event in the outbox to its publication.");

    internal static KeyValuePair<string, object?> TopicTag(string topic) => new("messaging.destination.name", topic);

    internal static KeyValuePair<string, object?> AppTag(string appId) => new("songjiang.eventbus.app_id", appId);

    /// <summary>Starts the producer span; nothing is allocated when no listener wants the source's spans.</summary>
    internal static Activity? StartPublish(EventTypeMetadata type, string messageId)
    {
        if (!ActivitySource.HasListeners())
        {
            return null;
        }

        var activity = ActivitySource.StartActivity(type.PublishActivityName, ActivityKind.Producer);
        activity?.SetTag("messaging.destination.name", type.Topic);
        activity?.SetTag("messaging.message.id", messageId);
        return activity;
    }

    /// <summary>Starts the consumer span as a child of the publisher's trace carried in the envelope.</summary>
    internal static Activity? StartProcess(EventTypeMetadata type, ReceivedCloudEvent envelope)
    {
        // Parsing the parent context is the costly part; skip it when no listener wants the source's spans.
        if (!ActivitySource.HasListeners())
        {
            return null;
        }

        ActivityContext.TryParse(envelope.TraceParent, envelope.TraceState, out var parent);
        var activity = ActivitySource.StartActivity(type.ProcessActivityName, ActivityKind.Consumer, parent);
        activity?.SetTag("messaging.destination.name", type.Topic);
        activity?.SetTag("messaging.message.id", envelope.Id);
        return activity;
    }
}
