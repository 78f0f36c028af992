using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Songjiang.PolicyRadar.Api.Application;
using Songjiang.PolicyRadar.Api.Domain;
using Songjiang.PolicyRadar.Api.Infrastructure;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Problems;
using Songjiang.ServiceDefaults.Time;

namespace Songjiang.PolicyRadar.Api.Features;

/// <summary>
/// <c>GET /api/policyradar/metrics</c>: 政策找人 at a glance — pushes by kind (eligibility matches, subscription
/// matches, 免申即享 offers among the matches) per China calendar month, for the last twelve months (officers, admins).
/// </summary>
public static class PushMetricsApi
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapPushMetricsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/policyradar/metrics", GetAsync).WithName("PushMetrics").WithTags("Metrics")
            .WithSummary("Pushes per month and kind over the last twelve months, and the enterprises reached (officers, admins).")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireAuthorization(PlatformPolicies.Authenticated);
        return endpoints;
    }

    private static async Task<Ok<PushMetrics>> GetAsync(RadarCaller caller, PolicyRadarDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!caller.CanSeeAll)
        {
            throw new ForbiddenException("推送统计仅供政策管理人员和管理员查看。");
        }
        var today = ChinaTime.Today(clock);
        var firstMonth = new DateOnly(today.Year, today.Month, 1).AddMonths(-11);
        var since = new DateTimeOffset(firstMonth.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8));
        var rows = await db.Pushes.AsNoTracking().Where(p => p.PushedAt >= since)
            .Select(p => new { p.Kind, p.PushedAt, Offer = p.OfferId != null, p.Uscc }).ToListAsync(cancellationToken);
        var months = Enumerable.Range(0, 12).Select(i => firstMonth.AddMonths(i)).Select(month =>
        {
            var inMonth = rows.Where(r => Month(r.PushedAt) == month).ToList();
            return new MonthPushes(month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
                inMonth.Count(r => r.Kind == PushRecord.MatchKind), inMonth.Count(r => r.Kind == PushRecord.SubscriptionKind),
                inMonth.Count(r => r.Offer));
        }).ToList();
        return TypedResults.Ok(new PushMetrics(
            rows.Count(r => r.Kind == PushRecord.MatchKind), rows.Count(r => r.Kind == PushRecord.SubscriptionKind), rows.Count(r => r.Offer),
            rows.Select(r => r.Uscc).Distinct(StringComparer.Ordinal).Count(), months));
    }

    private static DateOnly Month(DateTimeOffset at)
    {
        var china = at.ToOffset(TimeSpan.FromHours(8));
        return new DateOnly(china.Year, china.Month, 1);
    }

    /// <summary>Pushes over the last twelve months.</summary>
    /// <param name="Matches">政策找人 pushes (the enterprise became eligible).</param>
    /// <param name="SubscriptionMatches">Pushes for an enterprise's topic subscriptions.</param>
    /// <param name="Offers">免申即享 offers among the matches.</param>
    /// <param name="Enterprises">Enterprises reached.</param>
    /// <param name="Months">Per China calendar month, oldest first.</param>
    public sealed record PushMetrics(int Matches, int SubscriptionMatches, int Offers, int Enterprises, IReadOnlyList<MonthPushes> Months);

    /// <summary>One month's pushes.</summary>
    /// <param name="Month">yyyy-MM (China time).</param>
    /// <param name="Matches">Eligibility pushes.</param>
    /// <param name="SubscriptionMatches">Subscription pushes.</param>
    /// <param name="Offers">免申即享 offers.</param>
    public sealed record MonthPushes(string Month, int Matches, int SubscriptionMatches, int Offers);
}
