using Songjiang.Enterprises.Api.Domain;
using Songjiang.Enterprises.Api.Infrastructure;
using Songjiang.Enterprises.Api.IntegrationEvents.Events;
using Songjiang.EventBus;

namespace Songjiang.Enterprises.Api.IntegrationEvents.EventHandling;

/// <summary>
/// Keeps the applications account managers follow (<see cref="TrackedApplication"/>) from the cases service's events,
/// inside the inbox transaction. Every event carries the application's description, so any event may create the
/// row; the status is that of the latest event by event time, so redelivery and reordering leave the same state.
/// </summary>
public sealed class ApplicationTrackingHandlers(EnterprisesDbContext db, ILogger<ApplicationTrackingHandlers> logger) :
    IIntegrationEventHandler<ApplicationSubmittedIntegrationEvent>,
    IIntegrationEventHandler<ApplicationAcceptedIntegrationEvent>,
    IIntegrationEventHandler<ApplicationCorrectionRequestedIntegrationEvent>,
    IIntegrationEventHandler<ApplicationResubmittedIntegrationEvent>,
    IIntegrationEventHandler<ApplicationApprovedIntegrationEvent>,
    IIntegrationEventHandler<ApplicationRejectedIntegrationEvent>,
    IIntegrationEventHandler<ApplicationCompletedIntegrationEvent>
{
    /// <inheritdoc />
    public Task Handle(ApplicationSubmittedIntegrationEvent evt, CancellationToken ct) => ApplyAsync(evt, ApplicationStatus.Submitted, ct);

    /// <inheritdoc />
    public Task Handle(ApplicationAcceptedIntegrationEvent evt, CancellationToken ct) =>
        ApplyAsync(evt, ApplicationStatus.Accepted, ct, dueAt: evt.StatutoryDueAt);

    /// <inheritdoc />
    public Task Handle(ApplicationCorrectionRequestedIntegrationEvent evt, CancellationToken ct) =>
        ApplyAsync(evt, ApplicationStatus.CorrectionRequested, ct);

    /// <inheritdoc />
    public Task Handle(ApplicationResubmittedIntegrationEvent evt, CancellationToken ct) => ApplyAsync(evt, ApplicationStatus.Resubmitted, ct);

    /// <inheritdoc />
    public Task Handle(ApplicationApprovedIntegrationEvent evt, CancellationToken ct) => ApplyAsync(evt, ApplicationStatus.Approved, ct);

    /// <inheritdoc />
    public Task Handle(ApplicationRejectedIntegrationEvent evt, CancellationToken ct) => ApplyAsync(evt, ApplicationStatus.Rejected, ct);

    /// <inheritdoc />
    public Task Handle(ApplicationCompletedIntegrationEvent evt, CancellationToken ct) =>
        ApplyAsync(evt, ApplicationStatus.Completed, ct, outcome: evt.Outcome);

    private async Task ApplyAsync<TEvent>(
        TEvent evt, ApplicationStatus status, CancellationToken ct, DateTimeOffset? dueAt = null, string? outcome = null)
        where TEvent : IntegrationEvent, IApplicationEvent
    {
        var application = await db.TrackedApplications.FindAsync([evt.ApplicationId], ct);
        if (application is null)
        {
            application = new TrackedApplication { ApplicationId = evt.ApplicationId, Number = evt.ApplicationNumber };
            db.TrackedApplications.Add(application);
        }
        else if (!application.IsOlderThan(status, evt.OccurredAt))
        {
            logger.LogInformation("Application {Number}: {Status} of {At} (event {EventId}) is older than {Current} of {Then}; state kept",
                evt.ApplicationNumber, status, evt.OccurredAt, application.Status, application.LastChangedAt, evt.Id);
            if (dueAt is not null && application.DueAt is null)
            {
                application.DueAt = dueAt;
                application.Version = Guid.NewGuid();
                await db.SaveChangesAsync(ct);
            }
            return;
        }

        application.Number = evt.ApplicationNumber;
        application.ParentNumber = evt.ParentNumber;
        application.MatterCode = evt.MatterCode;
        application.BundleCode = evt.BundleCode;
        application.Name = evt.MatterName ?? application.Name;
        application.ApplicantUscc = evt.ApplicantUscc?.Trim().ToUpperInvariant() ?? application.ApplicantUscc;
        application.Status = status;
        application.Outcome = outcome;
        application.DueAt = dueAt ?? application.DueAt;
        application.LastChangedAt = evt.OccurredAt;
        application.Version = Guid.NewGuid();
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Application {Number} of {Uscc} is now {Status} (event {EventId})",
            evt.ApplicationNumber, application.ApplicantUscc, status, evt.Id);
    }
}
