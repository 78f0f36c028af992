using System.Text.Json;

namespace Songjiang.EventBus;

/// <summary>
/// The attributes of a received CloudEvents 1.0 envelope (structured JSON mode), as written by this bus or by a
/// Dapr sidecar. See https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md.
/// </summary>
/// <param name="Id">The event id (<c>id</c>); the inbox de-duplicates on it.</param>
/// <param name="Source">The publishing application (<c>source</c>).</param>
/// <param name="Type">The event type (<c>type</c>); this bus writes the versioned topic name.</param>
/// <param name="Time">When the fact happened (<c>time</c>), if given.</param>
/// <param name="TraceParent">W3C trace context of the publisher (<c>traceparent</c> extension), if given.</param>
/// <param name="TraceState">W3C trace state (<c>tracestate</c> extension), if given.</param>
/// <param name="Data">The event payload (<c>data</c>).</param>
public sealed record CloudEvent(
    string Id,
    string Source,
    string Type,
    DateTimeOffset? Time,
    string? TraceParent,
    string? TraceState,
    JsonElement Data);
