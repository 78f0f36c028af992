namespace Songjiang.EventBus;

/// <summary>Proof that a consumer has had the effect of an event, keyed by the CloudEvent's identity (<c>source</c> + <c>id</c>).</summary>
internal sealed class InboxMessage
{
    /// <summary>The envelope's <c>id</c> (for the platform's own events, the event id).</summary>
    public required string EventId { get; init; }

    /// <summary>The envelope's <c>source</c> (the publishing app id).</summary>
    public required string Source { get; init; }

    public required string Consumer { get; init; }

    public DateTime ProcessedAt { get; init; }
}
