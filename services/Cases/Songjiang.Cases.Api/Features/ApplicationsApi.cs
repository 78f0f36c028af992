using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Songjiang.Cases.Api.Domain;
using Songjiang.Cases.Api.Infrastructure;
using Songjiang.Cases.Api.Storage;
using Songjiang.Cases.Api.CaseFlow;
using Songjiang.EventBus;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.OpenApi;
using Songjiang.ServiceDefaults.Paging;
using Songjiang.ServiceDefaults.Problems;
using Songjiang.Workflows;

namespace Songjiang.Cases.Api.Features;

/// <summary>
/// Applications (办件): submit, list and read here; the timeline, materials and what the applicant does on an
/// application live beside this file as parts of the same class.
/// </summary>
public static partial class ApplicationsApi
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
            .ProducesFile("The material's file, in the format detected from its content at upload (PDF, OFD, PNG or JPEG).",
                "application/pdf", "application/ofd", "image/png", "image/jpeg");
        api.MapPost("/{number}/resubmit", ResubmitAsync).WithName("ResubmitApplication")
            .WithSummary("Answers a correction request (补正) with new uploads; the statutory clock runs again.");
        api.MapPost("/{number}/withdraw", WithdrawAsync).WithName("WithdrawApplication")
            .WithSummary("Withdraws an application, with the reason, until it is accepted (受理) or while it waits for a correction; the case is closed as withdrawn.");
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
            // Handled by another city: its 补正 request is answered here (no task: the exchange sends the answer on).
            ?? (application.HandledByCity is not null && application.Status == ApplicationStatus.CorrectionRequested
                ? AskOf(application.Number, application.Status, application.Reason, application.CorrectionMaterials, null,
                    application.Materials.DistinctBy(m => m.Code).ToDictionary(m => m.Code, m => m.Name, StringComparer.Ordinal))
                : null)
            ?? RatingAsk(application.Number, application.Status, application.Rating, application.Kind);
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
        return AskOf(owner.Number, owner.Status, owner.Reason, owner.CorrectionMaterials, task.DueAt,
            owner.Materials.DistinctBy(m => m.Code).ToDictionary(m => m.Code, m => m.Name, StringComparer.Ordinal));
    }

    // What an open applicant task asks: confirming a benefit, or correcting the materials the caseworker named.
    private static ApplicantAsk AskOf(
        string number, ApplicationStatus status, string? reason, List<string> correction, DateTimeOffset? dueAt, IReadOnlyDictionary<string, string> materialNames) =>
        status == ApplicationStatus.AwaitingConfirmation
            ? new ApplicantAsk("confirm", [], reason, dueAt, number)
            : new ApplicantAsk("resubmit", correction, reason, dueAt, number)
            {
                MaterialNames = [.. correction.Select(code => materialNames.GetValueOrDefault(code) ?? code)],
            };

    // A completed application not yet rated asks for a rating (好差评); a benefit is not rated.
    private static ApplicantAsk? RatingAsk(string number, ApplicationStatus status, int? rating, ApplicationKind kind) =>
        status == ApplicationStatus.Completed && rating is null && kind != ApplicationKind.Benefit
            ? new ApplicantAsk("rate", [], null, null, number)
            : null;
}
