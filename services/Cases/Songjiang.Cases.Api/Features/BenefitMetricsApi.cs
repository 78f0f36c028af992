using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Songjiang.Cases.Api.Domain;
using Songjiang.Cases.Api.Infrastructure;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Problems;

namespace Songjiang.Cases.Api.Features;

/// <summary>
/// <c>GET /api/cases/metrics/benefits</c>: 免申即享 take-up — of the benefits the platform offered (each a benefit case
/// waiting for the enterprise's confirmation), how many were confirmed, declined or are still open. Caseworkers see
/// their department's offers, administrators all.
/// </summary>
public static class BenefitMetricsApi
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapBenefitMetricsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/cases/metrics/benefits", GetAsync).WithName("BenefitMetrics").WithTags("Metrics")
            .WithSummary("免申即享 take-up: benefits offered, confirmed, declined and open (caseworkers: their department).")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireAuthorization(PlatformPolicies.Authenticated);
        return endpoints;
    }

    private static async Task<Ok<BenefitMetrics>> GetAsync(ClaimsPrincipal user, CasesDbContext db, CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        if (!caller.IsAdmin && !caller.IsCaseworker)
        {
            throw new ForbiddenException("统计数据仅供工作人员和管理员查看。");
        }
        var department = caller.IsAdmin ? null : caller.Department;
        var benefits = db.Applications.AsNoTracking().Where(a => a.Kind == ApplicationKind.Benefit);
        if (department is not null)
        {
            benefits = benefits.Where(a => a.Department == department);
        }
        var rows = await benefits.GroupBy(a => new { a.Status, a.Outcome }).Select(g => new { g.Key.Status, g.Key.Outcome, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var offered = rows.Sum(r => r.Count);
        var confirmed = rows.Where(r => r.Outcome == "approved" || (r.Status == ApplicationStatus.Approved && r.Outcome is null)).Sum(r => r.Count);
        var declined = rows.Where(r => r.Outcome == "declined").Sum(r => r.Count);
        var open = rows.Where(r => r.Status != ApplicationStatus.Completed && r.Status != ApplicationStatus.Approved).Sum(r => r.Count);
        var decided = confirmed + declined;
        return TypedResults.Ok(new BenefitMetrics(department, offered, confirmed, declined, open, offered - confirmed - declined - open,
            decided == 0 ? null : (double)confirmed / decided));
    }

    /// <summary>免申即享 take-up.</summary>
    /// <param name="Department">The department counted, or null for all.</param>
    /// <param name="Offered">Benefits offered.</param>
    /// <param name="Confirmed">Confirmed by the enterprise (兑现).</param>
    /// <param name="Declined">Declined.</param>
    /// <param name="Open">Waiting for the enterprise.</param>
    /// <param name="Other">Ended otherwise (cancelled).</param>
    /// <param name="TakeUpRate">Confirmed of those decided, or null when none is.</param>
    public sealed record BenefitMetrics(string? Department, int Offered, int Confirmed, int Declined, int Open, int Other, double? TakeUpRate);
}
