namespace Songjiang.EventBus;

/// <summary>
/// A received CloudEvents 1.0 envelope as the consumers dispatch it: the attributes, and <c>data</c> as the raw JSON
/// slice of the delivered body, deserialised once into the subscribed event type.
/// </summary>
/// <param name="Id">The event id (<c>id</c>).</param>
/// <param name="Source">The publishing application (<c>source</c>).</param>
/// <param name="Type">The event type (<c>type</c>).</param>
/// <param name="Time">When the fact happened (<c>time</c>), if given.</param>
/// <param name="TraceParent">W3C trace context of the publisher (<c>traceparent</c>), if given.</param>
/// <param name="TraceState">W3C trace state (<c>tracestate</c>), if given.</param>
/// <param name="Data">The JSON of <c>data</c>; it points into the delivered body and is valid only while that is.</param>
internal sealed record ReceivedCloudEvent(
    string Id,
    string Source,
    string Type,
    DateTimeOffset? Time,
    string? TraceParent,
    string? TraceState,
    ReadOnlyMemory<byte> Data);
