namespace Songjiang.EventBus;

/// <summary>
/// A fact that happened in one service and that other services may react to. Name derived records in the past
/// tense (<c>ApplicationSubmittedIntegrationEvent</c>) and give each one a stable, versioned topic with
/// <see cref="IntegrationEventAttribute"/>.
/// </summary>
public abstract record IntegrationEvent
{
    /// <summary>Unique id of the event; consumers de-duplicate on it. Defaults to a time-ordered UUID v7.</summary>
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>When the fact happened; defaults to the time the event object was created.</summary>
    public DateTimeOffset OccurredAt { get; init; } = DateTimeOffset.UtcNow;
}
