using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Songjiang.EventBus;
using Songjiang.Exchange.Api.Extensions;
using Songjiang.Exchange.Api.Infrastructure;
using Songjiang.Exchange.Api.IntegrationEvents.Events;
using Songjiang.Exchange.Api.Webhooks;

namespace Songjiang.Exchange.Api.IntegrationEvents.EventHandling;

/// <summary>
/// Turns a status change of a case a partner city filed into one queued webhook, inside the inbox transaction: a
/// redelivered event is dropped by the inbox, so each status is queued once. Cases of other channels are ignored.
/// </summary>
public sealed class StatusWebhookHandlers(
    ExchangeDbContext db, IOptions<ExchangeOptions> options, TimeProvider clock, ILogger<StatusWebhookHandlers> logger) :
    IIntegrationEventHandler<ApplicationAcceptedIntegrationEvent>,
    IIntegrationEventHandler<ApplicationCorrectionRequestedIntegrationEvent>,
    IIntegrationEventHandler<ApplicationResubmittedIntegrationEvent>,
    IIntegrationEventHandler<ApplicationApprovedIntegrationEvent>,
    IIntegrationEventHandler<ApplicationRejectedIntegrationEvent>,
    IIntegrationEventHandler<ApplicationCompletedIntegrationEvent>
{
    /// <inheritdoc />
    public Task Handle(ApplicationAcceptedIntegrationEvent evt, CancellationToken ct) =>
        QueueAsync(evt.Id, evt.ApplicationNumber, evt.Channel, "accepted", null, ct);

    /// <inheritdoc />
    public Task Handle(ApplicationCorrectionRequestedIntegrationEvent evt, CancellationToken ct) =>
        QueueAsync(evt.Id, evt.ApplicationNumber, evt.Channel, "correction-requested",
            $"需补正材料：{string.Join("、", evt.Materials ?? [])}。{evt.Note}".Trim(), ct);

    /// <inheritdoc />
    public Task Handle(ApplicationResubmittedIntegrationEvent evt, CancellationToken ct) =>
        QueueAsync(evt.Id, evt.ApplicationNumber, evt.Channel, "resubmitted", null, ct);

    /// <inheritdoc />
    public Task Handle(ApplicationApprovedIntegrationEvent evt, CancellationToken ct) =>
        QueueAsync(evt.Id, evt.ApplicationNumber, evt.Channel, "approved", null, ct);

    /// <inheritdoc />
    public Task Handle(ApplicationRejectedIntegrationEvent evt, CancellationToken ct) =>
        QueueAsync(evt.Id, evt.ApplicationNumber, evt.Channel, "rejected", evt.Reason, ct);

    /// <inheritdoc />
    public Task Handle(ApplicationCompletedIntegrationEvent evt, CancellationToken ct) =>
        QueueAsync(evt.Id, evt.ApplicationNumber, evt.Channel, "completed", evt.Outcome, ct);

    private async Task QueueAsync(Guid eventId, string number, string? channel, string status, string? detail, CancellationToken ct)
    {
        if (channel != "partner-city")
        {
            return;
        }
        var application = await db.Applications.FirstOrDefaultAsync(a => a.CaseNumber == number, ct);
        if (application is null)
        {
            logger.LogDebug("Case {Number} (event {EventId}) was not filed through the exchange", number, eventId);
            return;
        }
        var delivery = WebhookQueue.Enqueue(db, application, status, detail, options.Value, clock.GetUtcNow());
        logger.LogInformation("Case {Number} is {Status} (event {EventId}): webhook {Delivery} #{Sequence} queued for city {City}",
            number, status, eventId, delivery.Id, delivery.Sequence, application.City);
    }
}
