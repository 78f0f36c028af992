using Songjiang.EventBus;
using Songjiang.Notifications.Api.Application;
using Songjiang.Notifications.Api.Domain;
using Songjiang.Notifications.Api.IntegrationEvents.Events;
using Songjiang.Notifications.Api.Reminders;

namespace Songjiang.Notifications.Api.IntegrationEvents.EventHandling;

/// <summary>
/// Work-list messages for caseworkers (new tasks, hand-overs, 督办) and the applicant's own tasks (补正), and the
/// deadline reminders those tasks need.
/// </summary>
public sealed partial class TaskEventHandlers(Inbox inbox, ReminderBook reminders, ILogger<TaskEventHandlers> logger) :
    IIntegrationEventHandler<TaskAssignedIntegrationEvent>,
    IIntegrationEventHandler<TaskClosedIntegrationEvent>,
    IIntegrationEventHandler<TaskOverdueIntegrationEvent>
{
    /// <summary>The department code the cases service gives the applicant's own tasks.</summary>
    public const string ApplicantDepartment = "applicant";

    /// <inheritdoc />
    public async Task Handle(TaskAssignedIntegrationEvent evt, CancellationToken ct)
    {
        var recipient = RecipientOf(evt);
        if (recipient is null)
        {
            LogNoRecipient(evt.TaskId, evt.Id);
            return;
        }
        await reminders.ScheduleAsync(evt, recipient, ct);
        await inbox.DeliverAsync(Messages.TaskAssigned(evt), [recipient], ct);
    }

    /// <inheritdoc />
    public async Task Handle(TaskClosedIntegrationEvent evt, CancellationToken ct)
    {
        await reminders.SettleTaskAsync(evt.TaskId, evt.ApplicationNumber, ct);
        LogClosed(evt.TaskId, evt.Id);
    }

    /// <inheritdoc />
    public async Task Handle(TaskOverdueIntegrationEvent evt, CancellationToken ct)
    {
        var holder = evt.ClaimedBy is { Length: > 0 } user ? Recipients.User(user) : Recipients.Department(evt.Department);
        await inbox.DeliverAsync(Messages.Overdue(evt, forLeads: false), [holder], ct);
        if (evt.Escalation != "remind")
        {
            await inbox.DeliverAsync(Messages.Overdue(evt, forLeads: true), [Recipients.DepartmentLeads(evt.Department)], ct);
        }
    }

    private static string? RecipientOf(TaskAssignedIntegrationEvent evt) =>
        evt.AssignedTo is { Length: > 0 } user ? Recipients.User(user)
        : evt.Department == ApplicantDepartment ? (string.IsNullOrWhiteSpace(evt.ApplicantUscc) ? null : Recipients.Enterprise(evt.ApplicantUscc))
        : Recipients.Department(evt.Department);

    [LoggerMessage(LogLevel.Information, "Task {TaskId} (event {EventId}) has nobody to tell; no message")]
    private partial void LogNoRecipient(Guid taskId, Guid eventId);

    [LoggerMessage(LogLevel.Information, "Task {TaskId} closed (event {EventId}); its reminder is settled")]
    private partial void LogClosed(Guid taskId, Guid eventId);
}
