using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Songjiang.Cases.Api.Domain;
using Songjiang.Cases.Api.Features;
using Songjiang.Cases.Api.Infrastructure;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Paging;
using Songjiang.ServiceDefaults.Problems;

namespace Songjiang.Cases.Api.Ratings;

/// <summary>好差评 (国办发〔2019〕51号, GB/T 39734/39735-2020): rate, follow up 差评, 追评, 复核, published statistics.</summary>
public static class RatingsApi
{
    /// <summary>Maps <c>/api/cases/ratings</c> and the rating routes of an application.</summary>
    public static IEndpointRouteBuilder MapRatingsApi(this IEndpointRouteBuilder endpoints)
    {
        var applications = endpoints.MapGroup("/api/cases/applications").WithTags("Ratings").RequireAuthorization(PlatformPolicies.Authenticated);
        applications.MapPost("/{number}/ratings", RateAsync).WithName("RateApplicationOnChannel")
            .WithSummary("好差评: rates an application once per channel (online after completion, window after acceptance) with five grades, dimensions, reasons and text; a real-name 差评 opens its follow-up.")
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        applications.MapPost("/{number}/rating", RateLegacyAsync).WithName("RateApplication")
            .WithSummary("Former route: rates online and returns the application; also takes the former 1–5 score. Prefer POST …/ratings.")
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        applications.MapGet("/{number}/ratings", ForApplicationAsync).WithName("ApplicationRatings")
            .WithSummary("The ratings of an application, with their follow-up and appeal.").ProducesProblem(404);

        var ratings = endpoints.MapGroup("/api/cases/ratings").WithTags("Ratings");
        ratings.MapGet("/catalogue", Catalogue).WithName("RatingCatalogue").AllowAnonymous()
            .WithSummary("The five grades, each channel's dimensions and the reasons offered with each grade.");
        ratings.MapGet("/statistics", StatisticsAsync).WithName("RatingStatistics").AllowAnonymous()
            .WithSummary("Published 好差评 figures per department and matter: ratings by grade, satisfaction, 差评 call-back on-time rate and rectification rate.")
            .ProducesProblem(400);
        var desk = ratings.MapGroup("").RequireAuthorization(PlatformPolicies.Authenticated);
        desk.MapGet("/", ListAsync).WithName("ListRatings")
            .WithSummary("Ratings of the caller's department (administrators: any), newest first; filter 差评 and follow-up state.")
            .ProducesProblem(400).ProducesProblem(403);
        desk.MapGet("/{id:guid}", GetAsync).WithName("GetRating").WithSummary("A rating.").ProducesProblem(404);
        desk.MapPost("/{id:guid}/call-back", CallBackAsync).WithName("CallBackRating")
            .WithSummary("Reports the call-back (回访) of a real-name 差评 (the department's caseworkers).")
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        desk.MapPost("/{id:guid}/rectification", RectifyAsync).WithName("RectifyRating")
            .WithSummary("Reports the rectification (整改) of a real-name 差评, after its call-back.")
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        desk.MapPost("/{id:guid}/follow-up-rating", FollowUpRatingAsync).WithName("AddFollowUpRating")
            .WithSummary("The applicant's one follow-up rating (追评), after rectification.")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        desk.MapPost("/{id:guid}/appeal", AppealAsync).WithName("AppealRating")
            .WithSummary("The department appeals a rating it holds untrue (复核申请), with the reason.")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        desk.MapPost("/{id:guid}/appeal/decision", DecideAppealAsync).WithName("DecideRatingAppeal")
            .WithSummary("Another officer (the department's approver or an administrator) upholds or rejects the appeal, with the reason; upheld annuls the rating.")
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        return endpoints;
    }

    private static async Task<Created<RatingView>> RateAsync(
        string number, RateRequest request, ClaimsPrincipal user, RatingDesk desk, CancellationToken cancellationToken)
    {
        var rating = await desk.RateAsync(number, request, new Caller(user), legacy: false, cancellationToken);
        return TypedResults.Created($"/api/cases/ratings/{rating.Id}", RatingView.Of(rating));
    }

    private static async Task<Ok<ApplicationView>> RateLegacyAsync(
        string number, RateRequest request, ClaimsPrincipal user, RatingDesk desk, CasesDbContext db, CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        await desk.RateAsync(number, request with { Channel = "online" }, caller, legacy: true, cancellationToken);
        return TypedResults.Ok(await ApplicationsApi.ViewAsync(db, number, caller, cancellationToken));
    }

    private static async Task<Ok<IReadOnlyList<RatingView>>> ForApplicationAsync(
        string number, ClaimsPrincipal user, CasesDbContext db, CancellationToken cancellationToken)
    {
        var application = await ApplicationAccess.LoadReadableAsync(db, new Caller(user), number, cancellationToken);
        var ratings = await db.Ratings.AsNoTracking().Where(r => r.ApplicationId == application.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<RatingView>>([.. ratings.OrderBy(r => r.RatedAt).Select(RatingView.Of)]);
    }

    private static Ok<RatingCatalogueView> Catalogue() => TypedResults.Ok(new RatingCatalogueView(
        [.. RatingCatalogue.Grades.Select(g => new CatalogueGrade(g.Code, g.Label, Rating.IsPoor(g.Grade), RatingCatalogue.ReasonsFor(g.Grade)))],
        [.. RatingCatalogue.Dimensions.Select(c => new CatalogueChannel(RatingCatalogue.CodeOf(c.Key), RatingCatalogue.LabelOf(c.Key),
            [.. c.Value.Select(d => new CatalogueDimension(d.Code, d.Label))]))]));

    /// <summary>Filters of the rating list.</summary>
    public sealed record ListQuery(string? Department, string? Matter, bool? Poor, string? FollowUp, int? Page, int? PageSize);

    private static async Task<Ok<ResultPage<RatingView>>> ListAsync(
        [AsParameters] ListQuery query, ClaimsPrincipal user, CasesDbContext db, CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        var page = PageRequest.Of(query.Page, query.PageSize);
        IQueryable<Rating> ratings = db.Ratings.AsNoTracking();
        if (caller.IsCaseworker && !caller.IsAdmin)
        {
            ratings = ratings.Where(r => r.Department == caller.Department);
        }
        else if (!caller.IsAdmin)
        {
            throw new ForbiddenException("评价列表供部门工作人员和平台管理员查看；申请人请在办件中查看自己的评价。");
        }
        if (!string.IsNullOrWhiteSpace(query.Department))
        {
            ratings = ratings.Where(r => r.Department == query.Department);
        }
        if (!string.IsNullOrWhiteSpace(query.Matter))
        {
            ratings = ratings.Where(r => r.MatterCode == query.Matter);
        }
        if (query.Poor is { } poor)
        {
            ratings = poor
                ? ratings.Where(r => r.Grade == RatingGrade.Dissatisfied || r.Grade == RatingGrade.VeryDissatisfied)
                : ratings.Where(r => r.Grade != RatingGrade.Dissatisfied && r.Grade != RatingGrade.VeryDissatisfied);
        }
        if (query.FollowUp is { } followUp)
        {
            var state = Enum.GetValues<FollowUpStatus>().Where(s => RatingView.Kebab(s.ToString()) == followUp).Cast<FollowUpStatus?>().FirstOrDefault()
                ?? throw new ValidationFailedException("followUp", "跟进状态为 none、call-back-due、rectification-due、rectified 或 annulled。");
            ratings = ratings.Where(r => r.FollowUp == state);
        }
        var total = await ratings.CountAsync(cancellationToken);
        var items = await ratings.OrderByDescending(r => r.RatedAt).ThenBy(r => r.Id).Skip(page.Skip).Take(page.PageSize).ToListAsync(cancellationToken);
        return TypedResults.Ok(new ResultPage<RatingView>([.. items.Select(RatingView.Of)], page.Page, page.PageSize, total));
    }

    private static async Task<Ok<RatingView>> GetAsync(Guid id, ClaimsPrincipal user, CasesDbContext db, CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        var rating = await db.Ratings.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        var application = rating is null ? null : await db.Applications.AsNoTracking().FirstAsync(a => a.Id == rating.ApplicationId, cancellationToken);
        var visible = rating is not null && (caller.IsAdmin
            || (caller.IsCaseworker && caller.Department == rating.Department)
            || ApplicationAccess.ActsForApplicant(caller, application!));
        return visible ? TypedResults.Ok(RatingView.Of(rating!)) : throw new NotFoundException("没有您可以查看的这条评价。");
    }

    private static async Task<Ok<RatingView>> CallBackAsync(Guid id, FollowUpReport report, ClaimsPrincipal user, RatingDesk desk, CancellationToken cancellationToken) =>
        TypedResults.Ok(RatingView.Of(await desk.CallBackAsync(id, report, new Caller(user), cancellationToken)));

    private static async Task<Ok<RatingView>> RectifyAsync(Guid id, FollowUpReport report, ClaimsPrincipal user, RatingDesk desk, CancellationToken cancellationToken) =>
        TypedResults.Ok(RatingView.Of(await desk.RectifyAsync(id, report, new Caller(user), cancellationToken)));

    private static async Task<Ok<RatingView>> FollowUpRatingAsync(
        Guid id, FollowUpRatingRequest request, ClaimsPrincipal user, RatingDesk desk, CancellationToken cancellationToken) =>
        TypedResults.Ok(RatingView.Of(await desk.AddFollowUpRatingAsync(id, request, new Caller(user), cancellationToken)));

    private static async Task<Ok<RatingView>> AppealAsync(Guid id, AppealRequest request, ClaimsPrincipal user, RatingDesk desk, CancellationToken cancellationToken) =>
        TypedResults.Ok(RatingView.Of(await desk.AppealAsync(id, request, new Caller(user), cancellationToken)));

    private static async Task<Ok<RatingView>> DecideAppealAsync(
        Guid id, AppealDecisionRequest request, ClaimsPrincipal user, RatingDesk desk, CancellationToken cancellationToken) =>
        TypedResults.Ok(RatingView.Of(await desk.DecideAppealAsync(id, request, new Caller(user), cancellationToken)));

    private static async Task<Ok<RatingStatistics>> StatisticsAsync(
        [AsParameters] RatingStatisticsQuery query, RatingStatisticsReader reader, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reader.ReadAsync(query, cancellationToken));
}
