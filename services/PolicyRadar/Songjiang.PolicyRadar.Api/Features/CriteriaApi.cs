using Songjiang.ServiceDefaults.Time;
using Microsoft.AspNetCore.Http.HttpResults;
using Songjiang.PolicyRadar.Api.Criteria;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Problems;
using System.Security.Claims;
using System.Text.Json;

namespace Songjiang.PolicyRadar.Api.Features;

/// <summary>
/// Lets policy officers check a criteria draft before saving it: every problem named by clause, and — given a
/// sample enterprise — the explained verdict the radar would reach.
/// </summary>
public static class CriteriaApi
{
    /// <summary>Maps <c>POST /api/policyradar/criteria/check</c>.</summary>
    public static IEndpointRouteBuilder MapCriteriaApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/policyradar/criteria/check", Check)
            .WithName("CheckCriteria")
            .WithSummary("Validates eligibility criteria (errors by clause path) and explains the verdict for a sample enterprise.")
            .WithTags("Criteria")
            .RequireAuthorization(PlatformPolicies.Authenticated);
        return endpoints;
    }

    private static Results<Ok<CriteriaCheck>, ForbidHttpResult> Check(CheckCriteriaRequest request, ClaimsPrincipal user, TimeProvider clock)
    {
        if (!user.IsInRole(PlatformRoles.Admin) && user.FindFirstValue(PlatformClaims.Department) is null)
        {
            return TypedResults.Forbid();
        }
        if (request.Criteria is not { } document)
        {
            throw new ValidationFailedException("criteria", "请提交要检查的资格条件。");
        }
        var (criteria, errors) = CriteriaParser.Parse(document);
        if (criteria is null)
        {
            throw new ValidationFailedException(errors.ToDictionary(e => "criteria" + e.Key.TrimStart('$'), e => e.Value));
        }
        var on = request.On ?? ChinaTime.Today(clock);
        var verdict = request.Enterprise is { } enterprise ? CompiledCriteria.Compile(criteria).Evaluate(enterprise, on) : null;
        return TypedResults.Ok(new CriteriaCheck(true, verdict));
    }

    /// <summary>The draft and, optionally, a sample enterprise and evaluation date.</summary>
    public sealed record CheckCriteriaRequest(JsonElement? Criteria, EnterpriseFacts? Enterprise, DateOnly? On);

    /// <summary>The criteria are valid; the verdict when an enterprise was given.</summary>
    public sealed record CriteriaCheck(bool Valid, Verdict? Verdict);
}
