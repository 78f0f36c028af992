using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Songjiang.Cases.Api.Domain;
using Songjiang.Cases.Api.Infrastructure;
using Songjiang.Cases.Api.IntegrationEvents.Events;
using Songjiang.EventBus;
using Songjiang.Workflows;
using Songjiang.Workflows.Calendar;

namespace Songjiang.Cases.Api.CaseFlow;

/// <summary>
/// Keeps applications and the work list in step with their workflows, inside each step's transaction, and
/// stages the integration events the steps cause in the same unit of work (outbox).
/// </summary>
/// <remarks>
/// The meaning of a step comes from the cases service's own definitions (Workflows/*.json): the actions
/// <c>accept</c>, <c>correct</c>, <c>resubmit</c>, <c>reject</c>, <c>approve</c>, <c>broken</c> and the end outcomes
/// <c>approved</c>, <c>rejected</c>, <c>revoked</c>, <c>withdrawn</c>, <c>declined</c>, <c>completed</c>. Under
/// 承诺办 (<see cref="CommitmentWorkflow"/>) acceptance is the approval, and verification follows.
/// </remarks>
public sealed partial class CaseProjection(
    IOutbox<CasesDbContext> outbox, ILogger<CaseProjection> logger) : IWorkflowListener
{
    /// <summary>The commitment-based workflow: acceptance approves.</summary>
    public const string CommitmentWorkflow = "commitment-approval";

    /// <summary>The workflow of the reviews a parallel approval fans out to.</summary>
    public const string DepartmentReviewWorkflow = "department-review";

    /// <summary>The workflow of a follow-up on a poor rating.</summary>
    public const string FollowUpWorkflow = "rating-follow-up";

    private static readonly WorkingDayCalendar Calendar = WorkingDayCalendar.China;

    /// <inheritdoc />
    public async Task TaskOpenedAsync(DbContext db, WorkflowTaskOpened task, CancellationToken cancellationToken)
    {
        var cases = (CasesDbContext)db;
        var application = await OwnerAsync(cases, task.CorrelationId, cancellationToken);
        if (application is null)
        {
            LogUnknownCorrelation(logger, task.CorrelationId);
            return;
        }
        cases.Tasks.Add(new CaseTask
        {
            Id = task.TaskId,
            ApplicationId = application.Id,
            ApplicationNumber = application.Number,
            ApplicationName = application.Name,
            MatterCode = application.MatterCode,
            ApplicantUscc = application.ApplicantUscc,
            NodeId = task.NodeId,
            Title = task.Title,
            Department = task.Department,
            Roles = string.Join(',', task.Roles),
            Actions = string.Join(',', task.Actions),
            OpenedAt = task.OpenedAt,
            DueAt = task.DueAt,
            Status = CaseTaskStatus.Open,
        });
        outbox.Add(cases, new TaskAssignedIntegrationEvent(
            task.TaskId, application.Id, application.Number, application.Name, application.ApplicantUscc, task.Title, task.Department,
            null, null, task.DueAt));
        if (IsFollowUp(task.CorrelationId))
        {
            return;
        }
        // A bundle's matters run as child instances the parent's workflow starts: learn their ids here.
        if (application.Correlation == task.CorrelationId)
        {
            application.WorkflowInstanceId ??= task.InstanceId;
        }
        Clock(application, task.StatutoryDueAt, task.PausesClock);
        // The definition declares what each step means for the case; a step that declares nothing is a review.
        application.Status = task.Status is { } declared && StatusesByName.TryGetValue(declared, out var status)
            ? status
            : ApplicationStatus.UnderReview;
        // The correction request is announced when the applicant's correction step opens, so it carries that
        // step's deadline; the materials and the note were recorded when the caseworker's step closed.
        if (application.Status == ApplicationStatus.CorrectionRequested)
        {
            outbox.Add(cases, CaseEvents.CorrectionRequested(application, application.Reason ?? "", task.DueAt));
        }
    }

    /// <inheritdoc />
    public async Task TaskClosedAsync(DbContext db, WorkflowTaskClosed task, CancellationToken cancellationToken)
    {
        var cases = (CasesDbContext)db;
        var row = cases.Tasks.Local.FirstOrDefault(t => t.Id == task.TaskId)
            ?? await cases.Tasks.FirstOrDefaultAsync(t => t.Id == task.TaskId, cancellationToken);
        if (row is not null)
        {
            row.Status = task.Completed ? CaseTaskStatus.Completed : CaseTaskStatus.Cancelled;
            row.ClosedAt = task.ClosedAt;
            row.Action = task.Action;
            row.CompletedBy = Text(task.Result, "actor");
            row.Opinion = Text(task.Result, "opinion");
            outbox.Add(cases, new TaskClosedIntegrationEvent(row.Id, row.ApplicationNumber, task.Completed, task.ClosedAt));
        }

        var application = await OwnerAsync(cases, task.CorrelationId, cancellationToken);
        if (application is null || IsFollowUp(task.CorrelationId))
        {
            return;
        }
        Clock(application, task.StatutoryDueAt, paused: false);
        if (!task.Completed || IsDepartmentReview(task.CorrelationId))
        {
            return;
        }

        var actor = Text(task.Result, "actor") ?? "system";
        switch (task.Action)
        {
            case "accept":
                application.AcceptedAt ??= task.ClosedAt;
                outbox.Add(cases, CaseEvents.Accepted(application, actor));
                if (application.Workflow == CommitmentWorkflow)
                {
                    Approve(cases, application, actor, task.ClosedAt);
                }
                break;
            case "correct":
                application.CorrectionMaterials = Strings(task.Result, "materials");
                application.Reason = Text(task.Result, "opinion");
                // Announced when the correction step opens (TaskOpenedAsync), with its deadline.
                break;
            case "resubmit":
                application.CorrectionMaterials = [];
                application.Reason = null;
                outbox.Add(cases, CaseEvents.Resubmitted(application));
                break;
            case "reject" or "broken" or "withdraw" or "decline":
                application.Reason = Text(task.Result, "opinion") ?? application.Reason;
                break;
        }
    }

    /// <inheritdoc />
    public async Task InstanceEndedAsync(DbContext db, WorkflowInstanceEnded instance, CancellationToken cancellationToken)
    {
        if (IsDepartmentReview(instance.CorrelationId) || IsFollowUp(instance.CorrelationId))
        {
            return;
        }
        var cases = (CasesDbContext)db;
        var application = await ByCorrelationAsync(cases, instance.CorrelationId, cancellationToken);
        if (application is null)
        {
            LogUnknownCorrelation(logger, instance.CorrelationId);
            return;
        }

        application.WorkflowInstanceId ??= instance.InstanceId;
        var at = instance.EndedAt;
        var actor = await LastActorAsync(cases, application, cancellationToken);
        var outcome = instance.Status == WorkflowInstanceStatus.Cancelled ? "cancelled" : instance.Outcome ?? "completed";
        switch (outcome)
        {
            case "approved":
                if (application.DecidedAt is null)
                {
                    Approve(cases, application, actor, at);
                }
                break;
            case "rejected":
                application.DecidedAt = at;
                application.Reason ??= "不予许可";
                outbox.Add(cases, CaseEvents.Rejected(application, actor));
                break;
            case "revoked":
                outbox.Add(cases, CaseEvents.CommitmentBroken(application, actor));
                break;
            case "completed" when application.Kind == ApplicationKind.Bundle:
                outcome = await BundleOutcomeAsync(cases, application, cancellationToken);
                break;
        }

        application.Outcome = outcome;
        application.Status = ApplicationStatus.Completed;
        application.CompletedAt = at;
        application.ClockPaused = false;
        application.WorkingDaysTaken = Calendar.CountWorkingDays(Calendar.LocalDate(application.SubmittedAt), Calendar.LocalDate(at));
        application.OnTime = at <= (application.StatutoryDueAt ?? application.PromisedDueAt ?? at);
        outbox.Add(cases, CaseEvents.Completed(application));
    }

    private void Approve(CasesDbContext cases, Application application, string actor, DateTimeOffset at)
    {
        application.DecidedAt = at;
        application.Status = ApplicationStatus.Approved;
        outbox.Add(cases, CaseEvents.Approved(application, actor, at));
        outbox.Add(cases, CaseEvents.ApprovedV2(application, actor, at));
    }

    // A bundle is approved when every matter is, partly approved when some are, else rejected.
    private static async Task<string> BundleOutcomeAsync(CasesDbContext cases, Application parent, CancellationToken cancellationToken)
    {
        var stored = await cases.Applications.Where(a => a.ParentId == parent.Id).Select(a => new { a.Id, a.Outcome }).ToListAsync(cancellationToken);
        var outcomes = stored.Select(s => cases.Applications.Local.FirstOrDefault(a => a.Id == s.Id)?.Outcome ?? s.Outcome).ToList();
        return outcomes.All(o => o == "approved") ? "approved"
            : outcomes.Any(o => o == "approved") ? "partially-approved"
            : "rejected";
    }

    private static void Clock(Application application, DateTimeOffset? statutoryDueAt, bool paused)
    {
        application.ClockPaused = paused;
        if (statutoryDueAt is not null)
        {
            application.StatutoryDueAt = statutoryDueAt;
        }
    }

    private static readonly Dictionary<string, ApplicationStatus> StatusesByName =
        Enum.GetValues<ApplicationStatus>().ToDictionary(Features.ApplicationSummary.StatusName, StringComparer.Ordinal);

    // Who took the last decision: whoever completed the application's last task (in this step or before).
    private static async Task<string> LastActorAsync(CasesDbContext cases, Application application, CancellationToken cancellationToken)
    {
        var stored = await cases.Tasks.Where(t => t.ApplicationId == application.Id).ToListAsync(cancellationToken);
        return stored.Concat(cases.Tasks.Local.Where(t => t.ApplicationId == application.Id)).Distinct()
            .Where(t => t.Status == CaseTaskStatus.Completed && t.CompletedBy is not null)
            .OrderByDescending(t => t.ClosedAt)
            .FirstOrDefault()?.CompletedBy ?? "system";
    }

    // Tasks of a parallel review belong to the application that fanned out: "SJ…/reviews/2" → "SJ…";
    // a follow-up on a rating to the rated application: "SJ…/follow-up" → "SJ…".
    private static async Task<Application?> OwnerAsync(CasesDbContext cases, string correlation, CancellationToken cancellationToken)
    {
        var owner = correlation;
        if (IsDepartmentReview(correlation))
        {
            owner = correlation[..correlation.LastIndexOf("/reviews/", StringComparison.Ordinal)];
        }
        else if (IsFollowUp(correlation))
        {
            owner = correlation[..^FollowUpSuffix.Length];
        }
        return await ByCorrelationAsync(cases, owner, cancellationToken);
    }

    private static async Task<Application?> ByCorrelationAsync(CasesDbContext cases, string correlation, CancellationToken cancellationToken) =>
        cases.Applications.Local.FirstOrDefault(a => a.Correlation == correlation)
            ?? await cases.Applications.FirstOrDefaultAsync(a => a.Correlation == correlation, cancellationToken);

    /// <summary>The correlation suffix of a rating follow-up.</summary>
    public const string FollowUpSuffix = "/follow-up";

    private static bool IsFollowUp(string correlation) => correlation.EndsWith(FollowUpSuffix, StringComparison.Ordinal);

    private static bool IsDepartmentReview(string correlation) => correlation.Contains("/reviews/", StringComparison.Ordinal);

    private static string? Text(JsonObject? result, string field) =>
        result?[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static List<string> Strings(JsonObject? result, string field) =>
        result?[field] is JsonArray items
            ? [.. items.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).OfType<string>()]
            : [];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow step for {Correlation} has no application; the work list ignores it")]
    private static partial void LogUnknownCorrelation(ILogger logger, string correlation);
}
