using Microsoft.Extensions.Options;
using Songjiang.EventBus;
using Songjiang.Notifications.Api.Application;
using Songjiang.Notifications.Api.Domain;
using Songjiang.Notifications.Api.IntegrationEvents.Events;

namespace Songjiang.Notifications.Api.IntegrationEvents.EventHandling;

/// <summary>Tells the holder enterprise about its electronic licences, with the public verification address.</summary>
public sealed class LicenceEventHandlers(Inbox inbox, IOptions<NotificationsOptions> options) :
    IIntegrationEventHandler<LicenceIssuedIntegrationEvent>,
    IIntegrationEventHandler<LicenceStatusChangedIntegrationEvent>
{
    /// <inheritdoc />
    public Task Handle(LicenceIssuedIntegrationEvent evt, CancellationToken ct) =>
        inbox.DeliverAsync(Messages.LicenceIssued(evt, VerifyUrl(evt.LicenceNumber)), [Recipients.Enterprise(evt.HolderUscc)], ct);

    /// <inheritdoc />
    public Task Handle(LicenceStatusChangedIntegrationEvent evt, CancellationToken ct) =>
        inbox.DeliverAsync(Messages.LicenceStatusChanged(evt, VerifyUrl(evt.LicenceNumber)), [Recipients.Enterprise(evt.HolderUscc)], ct);

    private string VerifyUrl(string number) =>
        $"{options.Value.PublicBaseUrl.TrimEnd('/')}/api/licenses/public/verify/{Uri.EscapeDataString(number)}";
}
