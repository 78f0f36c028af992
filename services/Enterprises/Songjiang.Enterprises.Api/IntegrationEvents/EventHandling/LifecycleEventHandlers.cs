using Songjiang.Enterprises.Api.Features;
using Songjiang.Enterprises.Api.IntegrationEvents.Events;
using Songjiang.EventBus;

namespace Songjiang.Enterprises.Api.IntegrationEvents.EventHandling;

/// <summary>Feeds case and licence events into the enterprise lifecycle (inside the inbox transaction: effect once).</summary>
public sealed class LifecycleEventHandlers(EnterpriseLifecycle lifecycle, ILogger<LifecycleEventHandlers> logger) :
    IIntegrationEventHandler<ApplicationSubmittedIntegrationEvent>,
    IIntegrationEventHandler<ApplicationApprovedV2IntegrationEvent>,
    IIntegrationEventHandler<ApplicationRejectedIntegrationEvent>,
    IIntegrationEventHandler<LicenceIssuedIntegrationEvent>,
    IIntegrationEventHandler<LicenceStatusChangedIntegrationEvent>
{
    /// <inheritdoc />
    public Task Handle(ApplicationSubmittedIntegrationEvent evt, CancellationToken ct)
    {
        logger.LogInformation("Application {Number} submitted (event {EventId})", evt.ApplicationNumber, evt.Id);
        return lifecycle.ApplicationSubmittedAsync(evt, ct);
    }

    /// <inheritdoc />
    public Task Handle(ApplicationApprovedV2IntegrationEvent evt, CancellationToken ct)
    {
        logger.LogInformation("Application {Number} approved (event {EventId})", evt.ApplicationNumber, evt.Id);
        return lifecycle.ApplicationApprovedAsync(evt, ct);
    }

    /// <inheritdoc />
    public Task Handle(ApplicationRejectedIntegrationEvent evt, CancellationToken ct)
    {
        logger.LogInformation("Application {Number} rejected (event {EventId})", evt.ApplicationNumber, evt.Id);
        return lifecycle.ApplicationRejectedAsync(evt, ct);
    }

    /// <inheritdoc />
    public Task Handle(LicenceIssuedIntegrationEvent evt, CancellationToken ct)
    {
        logger.LogInformation("Licence {Number} issued (event {EventId})", evt.LicenceNumber, evt.Id);
        return lifecycle.LicenceIssuedAsync(evt, ct);
    }

    /// <inheritdoc />
    public Task Handle(LicenceStatusChangedIntegrationEvent evt, CancellationToken ct)
    {
        logger.LogInformation("Licence {Number} now {Status} (event {EventId})", evt.LicenceNumber, evt.Status, evt.Id);
        return lifecycle.LicenceStatusChangedAsync(evt, ct);
    }
}
