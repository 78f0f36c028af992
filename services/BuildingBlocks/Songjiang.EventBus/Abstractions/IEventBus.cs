namespace Songjiang.EventBus;

/// <summary>Publishes integration events to every application subscribed to their topic.</summary>
/// <remarks>
/// Publishing straight to the bus is not atomic with a database change. When the event records a state change, add
/// it to the outbox of the service's <c>DbContext</c> instead, so it is sent if and only if the change commits.
/// </remarks>
public interface IEventBus
{
    /// <summary>Publishes <paramref name="evt"/>; completes once the transport has accepted it durably.</summary>
    Task PublishAsync(IntegrationEvent evt, CancellationToken ct = default);
}
