using Songjiang.EventBus;
using Songjiang.Licenses.Api.Infrastructure;
using Songjiang.Licenses.Api.IntegrationEvents.Events;

namespace Songjiang.Licenses.Api.IntegrationEvents.EventHandling;

/// <summary>
/// Keeps the holders' registered details from the enterprise register's events and issues the approvals that
/// waited for them, in the inbox transaction.
/// </summary>
public sealed class HolderProfileHandlers(HolderProfiles profiles, ILogger<HolderProfileHandlers> logger) :
    IIntegrationEventHandler<EnterpriseProfileChangedIntegrationEvent>,
    IIntegrationEventHandler<EnterpriseRegisteredIntegrationEvent>
{
    /// <inheritdoc />
    public async Task Handle(EnterpriseProfileChangedIntegrationEvent evt, CancellationToken ct)
    {
        var issued = await profiles.ApplyAsync(evt.Uscc, evt.Profile.Name, evt.Profile.LegalRepresentative, evt.Profile.RegisteredAddress, null, evt.OccurredAt, ct);
        logger.LogDebug("Profile of {Uscc} changed (event {EventId}); {Issued} waiting licences issued", evt.Uscc, evt.Id, issued);
    }

    /// <inheritdoc />
    public async Task Handle(EnterpriseRegisteredIntegrationEvent evt, CancellationToken ct)
    {
        var issued = await profiles.ApplyAsync(evt.Uscc, evt.Name, evt.LegalRepresentative, evt.RegisteredAddress, evt.ApplicationNumber, evt.OccurredAt, ct);
        logger.LogInformation("{Name} registered as {Uscc} on application {Number} (event {EventId}); {Issued} waiting licences issued",
            evt.Name, evt.Uscc, evt.ApplicationNumber, evt.Id, issued);
    }
}
