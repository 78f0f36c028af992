using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Songjiang.Cases.Api.Domain;
using Songjiang.Cases.Api.Infrastructure;
using Songjiang.Cases.Api.Storage;
using Songjiang.Cases.Api.Workflow;
using Songjiang.EventBus;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Paging;
using Songjiang.ServiceDefaults.Problems;
using Songjiang.Workflows;

namespace Songjiang.Cases.Api.Features;

/// <summary>Applications (办件): submit, list, read with timeline, and what the applicant does on them.</summary>
public static class ApplicationsApi
{
    /// <summary>Maps <c>/api/cases/applications</c>.</summary>
    public static IEndpointRouteBuilder MapApplicationsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/cases/applications").WithTags("Applications").RequireAuthorization(PlatformPolicies.Authenticated);
        api.MapPost("/", SubmitAsync).WithName("SubmitApplication")
            .WithSummary("Submits an application for a matter or a 一件事 bundle; idempotent with an Idempotency-Key header.");
        api.MapGet("/", ListAsync).WithName("ListApplications")
            .WithSummary("Lists applications: an enterprise its own, a caseworker its department's, an admin all; with filters and pagination.");
        api.MapGet("/{number}", GetAsync).WithName("GetApplication")
            .WithSummary("An application: status, materials, what is asked of the applicant, results and children.");
        api.MapGet("/{number}/timeline", TimelineAsync).WithName("ApplicationTimeline")
            .WithSummary("Everything that happened to the application (and a bundle's matters), oldest first.");
        api.MapGet("/{number}/materials/{code}", DownloadAsync).WithName("DownloadMaterial")
            .WithSummary("Downloads an uploaded material.")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream");
        api.MapPost("/{number}/resubmit", ResubmitAsync).WithName("ResubmitApplication")
            .WithSummary("Answers a correction request (补正) with new uploads; the statutory clock runs again.");
        api.MapPost("/{number}/withdraw", WithdrawAsync).WithName("WithdrawApplication")
            .WithSummary("Withdraws an application waiting for the applicant's correction.");
        api.MapPost("/{number}/confirm", ConfirmAsync).WithName("ConfirmBenefit")
            .WithSummary("Confirms or declines a 免申即享 benefit the platform opened for the enterprise.");
        return endpoints;
    }

    private static async Task<Results<Created<ApplicationView>, Ok<ApplicationView>>> SubmitAsync(
        SubmitApplicationRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, ClaimsPrincipal user,
        ApplicationSubmission submission, CasesDbContext db, CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        var result = await submission.SubmitAsync(request, caller, string.IsNullOrWhiteSpace(idempotencyKey) ? null : idempotencyKey.Trim(), cancellationToken);
        var view = await ViewAsync(db, result.Application.Number, caller, cancellationToken);
        return result.Created
            ? TypedResults.Created($"/api/cases/applications/{result.Application.Number}", view)
            : TypedResults.Ok(view);
    }

    private static readonly Dictionary<string, ApplicationStatus> StatusesByName =
        Enum.GetValues<ApplicationStatus>().ToDictionary(ApplicationSummary.StatusName, StringComparer.Ordinal);

    /// <summary>Filters of the application list.</summary>
    public sealed record ListQuery(string? Status, string? Matter, string? Bundle, string? Applicant, string? Q, int? Page, int? PageSize);

    private static async Task<Ok<ResultPage<ApplicationSummary>>> ListAsync(
        [AsParameters] ListQuery query, ClaimsPrincipal user, CasesDbContext db, CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        var page = PageRequest.Of(query.Page, query.PageSize);
        IQueryable<Application> applications = db.Applications.AsNoTracking();
        if (caller.IsEnterprise)
        {
            applications = applications.Where(a => a.ApplicantUscc == caller.Uscc && a.ParentId == null);
        }
        else if (caller.IsCaseworker)
        {
            applications = applications.Where(a => a.Department == caller.Department && a.Kind != ApplicationKind.Bundle);
        }
        else if (caller.IsPartnerCity)
        {
            applications = applications.Where(a => a.SubmittedBy == caller.Id && a.ParentId == null);
        }
        else if (!caller.IsAdmin)
        {
            throw new ForbiddenException("Applications are listed for applicants, caseworkers and administrators.");
        }

        if (query.Status is not null)
        {
            if (!StatusesByName.TryGetValue(query.Status, out var status))
            {
                throw new ValidationFailedException("status", "One of " + string.Join(", ", StatusesByName.Keys) + ".");
            }
            applications = applications.Where(a => a.Status == status);
        }
        if (!string.IsNullOrWhiteSpace(query.Matter))
        {
            applications = applications.Where(a => a.MatterCode == query.Matter);
        }
        if (!string.IsNullOrWhiteSpace(query.Bundle))
        {
            applications = applications.Where(a => a.BundleCode == query.Bundle);
        }
        if (!string.IsNullOrWhiteSpace(query.Applicant) && !caller.IsEnterprise)
        {
            applications = applications.Where(a => a.ApplicantUscc == query.Applicant.ToUpperInvariant());
        }
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            applications = applications.Where(a => a.Number.StartsWith(query.Q) || a.ApplicantName.Contains(query.Q) || a.Name.Contains(query.Q));
        }
        var total = await applications.CountAsync(cancellationToken);
        var items = await applications.OrderByDescending(a => a.SubmittedAt).ThenByDescending(a => a.Number)
            .Skip(page.Skip).Take(page.PageSize).ToListAsync(cancellationToken);
        return TypedResults.Ok(new ResultPage<ApplicationSummary>([.. items.Select(ApplicationSummary.Of)], page.Page, page.PageSize, total));
    }

    private static async Task<Ok<ApplicationView>> GetAsync(string number, ClaimsPrincipal user, CasesDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ViewAsync(db, number, new Caller(user), cancellationToken));

    /// <summary>The full view of an application the caller may read.</summary>
    public static async Task<ApplicationView> ViewAsync(CasesDbContext db, string number, Caller caller, CancellationToken cancellationToken)
    {
        var application = await ApplicationAccess.LoadReadableAsync(db, caller, number, cancellationToken);
        var children = await db.Applications.AsNoTracking().Where(c => c.ParentId == application.Id).OrderBy(c => c.Number).ToListAsync(cancellationToken);
        var family = children.Select(c => c.Id).Append(application.Id).ToList();
        var applicantTasks = await db.Tasks.AsNoTracking()
            .Where(t => family.Contains(t.ApplicationId) && t.Department == Caller.ApplicantDepartment && t.Status == CaseTaskStatus.Open)
            .OrderBy(t => t.OpenedAt).ToListAsync(cancellationToken);
        var ask = applicantTasks.Select(t => AskOf(t, application, children)).FirstOrDefault()
            ?? (application.Status == ApplicationStatus.Completed && application.Rating is null && application.Kind != ApplicationKind.Benefit
                ? new ApplicantAsk("rate", [], null, null, application.Number)
                : null);
        return new ApplicationView(
            ApplicationSummary.Of(application), application.ParentNumber, application.MatterVersion,
            JsonDocument.Parse(application.Form).RootElement.Clone(), application.CommitmentBased,
            [.. application.Materials.Select(MaterialView.Of)], application.Reason, application.CorrectionMaterials, ask,
            application.AcceptedAt, application.DecidedAt, application.PromisedDueAt, application.WorkingDaysTaken, application.OnTime,
            application.AssignedUscc, [.. application.Results.Concat(children.SelectMany(c => c.Results)).Select(ResultView.Of)],
            application.Rating, application.RatingComment, [.. children.Select(ApplicationSummary.Of)]);
    }

    private static ApplicantAsk AskOf(CaseTask task, Application application, List<Application> children)
    {
        var owner = task.ApplicationId == application.Id ? application : children.Single(c => c.Id == task.ApplicationId);
        return owner.Status == ApplicationStatus.AwaitingConfirmation
            ? new ApplicantAsk("confirm", [], owner.Reason, task.DueAt, owner.Number)
            : new ApplicantAsk("resubmit", owner.CorrectionMaterials, owner.Reason, task.DueAt, owner.Number);
    }

    private static async Task<Ok<IReadOnlyList<TimelineEntry>>> TimelineAsync(
        string number, ClaimsPrincipal user, CasesDbContext db, IWorkflowRuntime workflows, CancellationToken cancellationToken)
    {
        var application = await ApplicationAccess.LoadReadableAsync(db, new Caller(user), number, cancellationToken);
        var family = await db.Applications.AsNoTracking().Where(a => a.ParentId == application.Id).ToListAsync(cancellationToken);
        family.Insert(0, application);
        var tasks = await db.Tasks.AsNoTracking().Where(t => family.Select(f => f.Id).Contains(t.ApplicationId))
            .ToDictionaryAsync(t => t.Id, cancellationToken);

        var entries = new List<TimelineEntry>();
        foreach (var member in family)
        {
            entries.Add(new TimelineEntry(member.SubmittedAt, member.Number, "submitted", null, "applicant", CaseEvents.ChannelName(member.Channel)));
        }
        if (application.WorkflowInstanceId is { } root)
        {
            await AddJournalAsync(workflows, root, application.Number, tasks, entries, cancellationToken);
        }
        foreach (var child in family.Skip(1))
        {
            if (child.WorkflowInstanceId is { } instance)
            {
                await AddJournalAsync(workflows, instance, child.Number, tasks, entries, cancellationToken);
            }
        }
        if (application.RatedAt is { } rated)
        {
            entries.Add(new TimelineEntry(rated, application.Number, "rated", "好差评", "applicant",
                application.Rating is { } score ? RatingCatalogue.LabelOf(RatingCatalogue.FromLegacyScore(score)) : null));
        }
        return TypedResults.Ok<IReadOnlyList<TimelineEntry>>([.. entries.OrderBy(e => e.At)]);
    }

    private static async Task AddJournalAsync(
        IWorkflowRuntime workflows, Guid instanceId, string number, Dictionary<Guid, CaseTask> tasks, List<TimelineEntry> entries,
        CancellationToken cancellationToken)
    {
        foreach (var entry in await workflows.GetJournalAsync(instanceId, cancellationToken))
        {
            var timeline = entry.Action switch
            {
                var a when JournalActions.IsTaskCompleted(a, out var action) => TaskEntry(entry, action, number, tasks),
                JournalActions.ClockPaused => new TimelineEntry(entry.At, number, "clock-paused", "法定时限暂停", "system",
                    $"补正期间暂停计时，剩余 {entry.Delta?["remainingWorkingDays"]?.ToJsonString()} 个工作日"),
                JournalActions.ClockResumed => new TimelineEntry(entry.At, number, "clock-resumed", "法定时限恢复", "system",
                    entry.Delta?["statutoryDueAt"]?.GetValue<string>() is { } due ? $"法定办结时限：{due}" : null),
                JournalActions.End => new TimelineEntry(entry.At, number, entry.Delta?["outcome"]?.GetValue<string>() ?? "completed", null, "system", null),
                _ => null,
            };
            if (timeline is not null)
            {
                entries.Add(timeline);
            }
        }
    }

    private static TimelineEntry TaskEntry(WorkflowJournalEntry entry, string action, string number, Dictionary<Guid, CaseTask> tasks)
    {
        var task = entry.Delta?["taskId"] is JsonValue id && Guid.TryParse(id.GetValue<string>(), out var taskId) ? tasks.GetValueOrDefault(taskId) : null;
        task ??= tasks.Values.FirstOrDefault(t => t.NodeId == entry.NodeId && t.Action == action && t.ApplicationNumber == number);
        return new TimelineEntry(entry.At, number, action, task?.Title ?? entry.NodeId, task?.Department, task?.Opinion);
    }

    private static async Task<Results<FileStreamHttpResult, NotFound>> DownloadAsync(
        string number, string code, ClaimsPrincipal user, CasesDbContext db, IMaterialStore store, CancellationToken cancellationToken)
    {
        var application = await ApplicationAccess.LoadReadableAsync(db, new Caller(user), number, cancellationToken);
        var material = application.Materials.FirstOrDefault(m => m.Code == code && m.UploadId is not null);
        if (material is null)
        {
            throw new NotFoundException($"Application {number} has no uploaded material '{code}'.");
        }
        var upload = await db.Uploads.AsNoTracking().FirstAsync(u => u.Id == material.UploadId, cancellationToken);
        return TypedResults.File(store.OpenRead(upload.StorageKey), upload.ContentType, upload.FileName);
    }

    private static async Task<Ok<ApplicationView>> ResubmitAsync(
        string number, ResubmitRequest request, ClaimsPrincipal user, CasesDbContext db, IWorkflowRuntime workflows,
        CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (application, task) = await ApplicantTaskAsync(db, caller, number, "correction", cancellationToken);
        var given = request.Materials ?? [];
        var errors = new Dictionary<string, string[]>();
        foreach (var code in application.CorrectionMaterials.Where(c => !given.ContainsKey(c)))
        {
            errors[$"materials.{code}"] = ["The caseworker asked for this material again: upload it."];
        }
        var uploads = await db.Uploads.Where(u => given.Values.Contains(u.Id)).ToDictionaryAsync(u => u.Id, cancellationToken);
        foreach (var (code, id) in given)
        {
            if (application.Materials.All(m => m.Code != code))
            {
                errors[$"materials.{code}"] = [$"'{code}' is not a material of this application."];
            }
            else if (!uploads.TryGetValue(id, out var upload) || upload.Owner != caller.Id || upload.ApplicationId is not null)
            {
                errors[$"materials.{code}"] = [$"No unattached upload {id} of yours."];
            }
        }
        if (request.Note is { Length: > 2000 })
        {
            errors["note"] = ["At most 2000 characters."];
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        foreach (var (code, id) in given)
        {
            ApplicationSubmission.Attach(application.Materials.Single(m => m.Code == code), uploads[id]);
            uploads[id].ApplicationId = application.ParentId ?? application.Id;
        }
        await db.SaveChangesAsync(cancellationToken);
        await CompleteApplicantTaskAsync(db, workflows, caller, task, "resubmit", request.Note, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(await ViewAsync(db, number, caller, cancellationToken));
    }

    private static async Task<Ok<ApplicationView>> WithdrawAsync(
        string number, ClaimsPrincipal user, CasesDbContext db, IWorkflowRuntime workflows, CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (_, task) = await ApplicantTaskAsync(db, caller, number, "correction", cancellationToken);
        await CompleteApplicantTaskAsync(db, workflows, caller, task, "withdraw", null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(await ViewAsync(db, number, caller, cancellationToken));
    }

    private static async Task<Ok<ApplicationView>> ConfirmAsync(
        string number, ConfirmBenefitRequest request, ClaimsPrincipal user, CasesDbContext db, IWorkflowRuntime workflows,
        CancellationToken cancellationToken)
    {
        if (request.Accept is not { } accept)
        {
            throw new ValidationFailedException("accept", "Say true to confirm the benefit or false to decline it.");
        }
        var caller = new Caller(user);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (_, task) = await ApplicantTaskAsync(db, caller, number, "confirm", cancellationToken);
        await CompleteApplicantTaskAsync(db, workflows, caller, task, accept ? "confirm" : "decline", null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(await ViewAsync(db, number, caller, cancellationToken));
    }

    private static async Task<(Application Application, CaseTask Task)> ApplicantTaskAsync(
        CasesDbContext db, Caller caller, string number, string step, CancellationToken cancellationToken)
    {
        var application = await ApplicationAccess.LoadReadableAsync(db, caller, number, cancellationToken, tracked: true);
        if (!ApplicationAccess.ActsForApplicant(caller, application))
        {
            throw new ForbiddenException("Only the applicant (or the window clerk who took the application) answers for it.");
        }
        var task = await db.Tasks.FirstOrDefaultAsync(
            t => t.ApplicationId == application.Id && t.NodeId == step && t.Status == CaseTaskStatus.Open, cancellationToken);
        return task is null
            ? throw new ConflictException(step == "confirm"
                ? $"Application {number} is not waiting for a confirmation."
                : $"Application {number} is not waiting for a correction (its status is {ApplicationSummary.StatusName(application.Status)}).")
            : (application, task);
    }

    private static async Task CompleteApplicantTaskAsync(
        CasesDbContext db, IWorkflowRuntime workflows, Caller caller, CaseTask task, string action, string? note,
        CancellationToken cancellationToken)
    {
        var payload = note is null ? null : new JsonObject { ["opinion"] = note };
        var result = await workflows.Using(db).CompleteTaskAsync(new CompleteTaskCommand(task.Id, caller.AsApplicant(), action, payload), cancellationToken);
        if (!result.Applied)
        {
            throw new ConflictException($"The step has already been answered ({result.IgnoredReason}).");
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}
