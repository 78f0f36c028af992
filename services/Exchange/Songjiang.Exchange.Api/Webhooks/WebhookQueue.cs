using System.Text.Json;
using Songjiang.Exchange.Api.Domain;
using Songjiang.Exchange.Api.Extensions;
using Songjiang.Exchange.Api.Features;
using Songjiang.Exchange.Api.Infrastructure;

namespace Songjiang.Exchange.Api.Webhooks;

/// <summary>The body of a status webhook.</summary>
/// <param name="Id">The event id: a receiver de-duplicates by it.</param>
/// <param name="Type">Always <c>application.status-changed</c>.</param>
/// <param name="Sequence">The order of this status among the application's webhooks, from 1.</param>
/// <param name="ApplicationId">The partner's application id.</param>
/// <param name="Number">The case number.</param>
/// <param name="PartnerReference">The partner's reference.</param>
/// <param name="Status">The new status.</param>
/// <param name="StatusName">Its Chinese name.</param>
/// <param name="Detail">What is asked (补正 materials and note), the reason or the outcome.</param>
/// <param name="OccurredAt">When, +08:00.</param>
public sealed record StatusWebhook(
    Guid Id, string Type, int Sequence, Guid ApplicationId, string Number, string PartnerReference, string Status, string StatusName,
    string? Detail, DateTimeOffset OccurredAt);

/// <summary>
/// Queues a status webhook in the exchange's database, in the same transaction as the change it reports (the
/// outbox of webhooks): nothing is sent unless the change is stored, and nothing stored goes unsent.
/// </summary>
public static class WebhookQueue
{
    /// <summary>The webhook type.</summary>
    public const string Type = "application.status-changed";

    /// <summary>
    /// Adds the delivery with the given place in the application's order to the context (saved by the caller); the
    /// application's status is the one of its latest place so far.
    /// </summary>
    public static WebhookDelivery Enqueue(
        ExchangeDbContext db, PartnerApplication application, int sequence, string status, string? detail, ExchangeOptions options, DateTimeOffset now)
    {
        if (sequence > application.WebhookSequence)
        {
            application.Status = status;
            application.WebhookSequence = sequence;
        }
        var id = Guid.CreateVersion7();
        var payload = new StatusWebhook(id, Type, sequence, application.Id, application.CaseNumber, application.PartnerReference,
            status, StatusNames.Of(status), detail, now.ToOffset(StatusNames.China));
        var delivery = new WebhookDelivery
        {
            Id = id,
            City = application.City,
            ApplicationId = application.Id,
            Sequence = sequence,
            Status = status,
            Payload = JsonSerializer.Serialize(payload, PartnerApplicationsApi.Json),
            CreatedAt = now,
            NextAttemptAt = now,
            RetryUntil = now + options.WebhookRetryFor,
        };
        db.Deliveries.Add(delivery);
        return delivery;
    }
}
