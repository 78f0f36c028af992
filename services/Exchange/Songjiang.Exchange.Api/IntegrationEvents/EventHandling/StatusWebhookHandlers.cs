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
    public Task Handle(ApplicationAcceptedIntegrationEvent evt, CancellationToken ct) => QueueAsync(evt, "accepted", null, ct);

    /// <inheritdoc />
    public Task Handle(ApplicationCorrectionRequestedIntegrationEvent evt, CancellationToken ct) =>
        QueueAsync(evt, "correction-requested", $"需补正材料：{string.Join("、", evt.MaterialNames ?? evt.Materials ?? [])}。{evt.Note}".Trim(), ct);

    /// <inheritdoc />
    public Task Handle(ApplicationResubmittedIntegrationEvent evt, CancellationToken ct) => QueueAsync(evt, "resubmitted", null, ct);

    /// <inheritdoc />
    public Task Handle(ApplicationApprovedIntegrationEvent evt, CancellationToken ct) => QueueAsync(evt, "approved", null, ct);

    /// <inheritdoc />
    public Task Handle(ApplicationRejectedIntegrationEvent evt, CancellationToken ct) => QueueAsync(evt, "rejected", evt.Reason, ct);

    /// <inheritdoc />
    public Task Handle(ApplicationCompletedIntegrationEvent evt, CancellationToken ct) => QueueAsync(evt, "completed", evt.Outcome, ct);

    private async Task QueueAsync(CaseStatusEvent evt, string status, string? detail, CancellationToken ct)
    {
        if (evt.Channel != "partner-city")
        {
            return;
        }
        var application = await db.Applications.FirstOrDefaultAsync(a => a.CaseNumber == evt.ApplicationNumber, ct);
        if (application is null)
        {
            logger.LogDebug("Case {Number} (event {EventId}) was not filed through the exchange", evt.ApplicationNumber, evt.Id);
            return;
        }
        // Webhook 1 is the filing itself; the case's status events follow in the case's own order, whatever order their
        // topics deliver them in. The sender holds a webhook until every earlier one is delivered.
        var sequence = evt.StatusSequence > 0 ? evt.StatusSequence + 1 : application.WebhookSequence + 1;
        if (await db.Deliveries.AnyAsync(d => d.ApplicationId == application.Id && d.Sequence == sequence, ct))
        {
            logger.LogInformation("Case {Number}: webhook #{Sequence} ({Status}, event {EventId}) is already queued", evt.ApplicationNumber, sequence, status, evt.Id);
            return;
        }
        var delivery = WebhookQueue.Enqueue(db, application, sequence, status, detail, options.Value, clock.GetUtcNow());
        logger.LogInformation("Case {Number} is {Status} (event {EventId}): webhook {Delivery} #{Sequence} queued for city {City}",
            evt.ApplicationNumber, status, evt.Id, delivery.Id, delivery.Sequence, application.City);
    }
}
