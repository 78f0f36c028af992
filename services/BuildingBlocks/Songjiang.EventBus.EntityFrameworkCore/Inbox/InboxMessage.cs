namespace Songjiang.EventBus;

/// <summary>Proof that a consumer has had the effect of an event.</summary>
internal sealed class InboxMessage
{
    public required string EventId { get; init; }

    public required string Consumer { get; init; }

    public DateTime ProcessedAt { get; init; }
}
