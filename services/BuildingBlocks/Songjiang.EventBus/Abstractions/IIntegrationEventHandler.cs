namespace Songjiang.EventBus;

/// <summary>
/// Reacts to one type of integration event. Delivery is at least once: a handler may see the same event again
/// after a failure, so it must be idempotent (or run behind the inbox, which makes its database effect happen once).
/// </summary>
/// <typeparam name="TEvent">The event handled.</typeparam>
public interface IIntegrationEventHandler<in TEvent>
    where TEvent : IntegrationEvent
{
    /// <summary>Handles the event. Throwing makes the bus retry with back-off and, after the configured count, dead-letter it.</summary>
    Task Handle(TEvent evt, CancellationToken ct);
}
