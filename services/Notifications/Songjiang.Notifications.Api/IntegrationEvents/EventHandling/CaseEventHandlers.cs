using Songjiang.EventBus;
using Songjiang.Notifications.Api.Application;
using Songjiang.Notifications.Api.Domain;
using Songjiang.Notifications.Api.IntegrationEvents.Events;
using Songjiang.Notifications.Api.Reminders;

namespace Songjiang.Notifications.Api.IntegrationEvents.EventHandling;

/// <summary>
/// Turns the cases service's application events into messages for the applicant enterprise, inside the event
/// inbox's transaction: each event writes its message once however often it is delivered, in whatever order.
/// </summary>
public sealed partial class CaseEventHandlers(Inbox inbox, ReminderBook reminders, ILogger<CaseEventHandlers> logger) :
    IIntegrationEventHandler<ApplicationCorrectionRequestedIntegrationEvent>,
    IIntegrationEventHandler<ApplicationAcceptedIntegrationEvent>,
    IIntegrationEventHandler<ApplicationResubmittedIntegrationEvent>,
    IIntegrationEventHandler<ApplicationApprovedIntegrationEvent>,
    IIntegrationEventHandler<ApplicationRejectedIntegrationEvent>,
    IIntegrationEventHandler<ApplicationCompletedIntegrationEvent>
{
    /// <inheritdoc />
    public Task Handle(ApplicationCorrectionRequestedIntegrationEvent evt, CancellationToken ct) =>
        ToApplicantAsync(evt.ApplicantUscc, Messages.CorrectionRequested(evt), ct);

    /// <inheritdoc />
    public Task Handle(ApplicationAcceptedIntegrationEvent evt, CancellationToken ct) =>
        ToApplicantAsync(evt.ApplicantUscc, Messages.Accepted(evt), ct);

    /// <inheritdoc />
    public async Task Handle(ApplicationResubmittedIntegrationEvent evt, CancellationToken ct)
    {
        // No message (the applicant did it); the correction's reminder is no longer needed.
        var settled = await reminders.SettleApplicantRemindersAsync(evt.ApplicationNumber, evt.OccurredAt, ct);
        LogResubmitted(evt.ApplicationNumber, settled, evt.Id);
    }

    /// <inheritdoc />
    public Task Handle(ApplicationApprovedIntegrationEvent evt, CancellationToken ct) =>
        ToApplicantAsync(evt.ApplicantUscc, Messages.Approved(evt), ct);

    /// <inheritdoc />
    public Task Handle(ApplicationRejectedIntegrationEvent evt, CancellationToken ct) =>
        ToApplicantAsync(evt.ApplicantUscc, Messages.Rejected(evt), ct);

    /// <inheritdoc />
    public Task Handle(ApplicationCompletedIntegrationEvent evt, CancellationToken ct) =>
        // A bundle's children finish inside the parent; the applicant hears once, when the bundle completes.
        evt.ParentNumber is null ? ToApplicantAsync(evt.ApplicantUscc, Messages.Completed(evt), ct) : Task.CompletedTask;

    private async Task ToApplicantAsync(string? uscc, NewMessage message, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(uscc))
        {
            LogNoApplicant(message.Category, message.Subject, message.SourceEventId);
            return;
        }
        await inbox.DeliverAsync(message, [Recipients.Enterprise(uscc)], ct);
    }

    [LoggerMessage(LogLevel.Information, "{Category} of {Subject} (event {EventId}) names no applicant enterprise; no message")]
    private partial void LogNoApplicant(NotificationCategory category, string? subject, Guid eventId);

    [LoggerMessage(LogLevel.Information, "Application {Number} resubmitted (event {EventId}); {Settled} reminders settled")]
    private partial void LogResubmitted(string number, int settled, Guid eventId);
}
