using Songjiang.ServiceDefaults.Time;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Songjiang.PolicyRadar.Api.Application;
using Songjiang.PolicyRadar.Api.Criteria;
using Songjiang.PolicyRadar.Api.Domain;
using Songjiang.PolicyRadar.Api.Infrastructure;
using Songjiang.PolicyRadar.Api.Matching;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Paging;
using Songjiang.ServiceDefaults.Problems;

namespace Songjiang.PolicyRadar.Api.Features;

/// <summary>
/// 精准匹配: the policies an enterprise is eligible for, every clause explained with actual and required values, and
/// its near misses with what is missing. An enterprise sees only its own (anyone else's is 404).
/// </summary>
public static class MatchesApi
{
    /// <summary>Maps <c>/api/policyradar/enterprises</c>.</summary>
    public static IEndpointRouteBuilder MapMatchesApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/policyradar/enterprises").WithTags("Matching").RequireAuthorization(PlatformPolicies.Authenticated);
        api.MapGet("/me/matches", MineAsync).WithName("MyMatches").WithSummary("The calling enterprise's eligible policies and near misses, explained.");
        api.MapGet("/{uscc}/matches", MatchesAsync).WithName("EnterpriseMatches")
            .WithSummary("An enterprise's eligible policies and near misses, explained; filters and paging (its own staff, officers).");
        api.MapGet("/{uscc}/matches/{policyId:guid}", ExplainAsync).WithName("ExplainMatch")
            .WithSummary("Why an enterprise is or is not eligible for one policy, clause by clause.");
        api.MapGet("/{uscc}/pushes", PushesAsync).WithName("EnterprisePushes")
            .WithSummary("What was pushed to the enterprise (matches, 免申即享 offers, subscriptions), newest first, paged.");
        return endpoints;
    }

    private static Task<Ok<EnterpriseMatches>> MineAsync(
        [AsParameters] MatchQuery query, RadarCaller caller, MatchingEngine engine, TimeProvider clock, CancellationToken cancellationToken) =>
        caller.IsEnterprise
            ? MatchesAsync(caller.Uscc!, query, caller, engine, clock, cancellationToken)
            : throw new NotFoundException("只有企业账号才有本企业的政策匹配结果。");

    private static async Task<Ok<EnterpriseMatches>> MatchesAsync(
        string uscc, [AsParameters] MatchQuery query, RadarCaller caller, MatchingEngine engine, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (facts, name) = await FindAsync(uscc, caller, engine, cancellationToken);
        var on = ChinaTime.Today(clock);
        var (page, pageSize) = PageRequest.Clamped(query.Page, query.PageSize);
        bool Wanted(MatchablePolicy p) =>
            (string.IsNullOrWhiteSpace(query.Level) || p.Level == query.Level) &&
            (query.Exempt is null || p.ExemptFromApplication == query.Exempt);
        var eligible = engine.EligiblePolicies(facts, on).Where(Wanted)
            .OrderByDescending(p => p.BenefitAmount ?? 0).ThenBy(p => p.Title, StringComparer.Ordinal).ThenBy(p => p.PolicyId).ToList();
        var shown = eligible.Skip((page - 1) * pageSize).Take(pageSize).Select(p =>
        {
            var verdict = p.Criteria.Evaluate(facts, on);
            return new EligibleMatch(MatchedPolicy.Of(p), Reasons.From(verdict.Explanation), verdict.Explanation);
        }).ToList();
        var nearMisses = query.NearMisses == false
            ? []
            : engine.NearMisses(facts, on).Where(m => Wanted(m.Policy))
                .OrderByDescending(m => m.Policy.BenefitAmount ?? 0).ThenBy(m => m.Policy.Title, StringComparer.Ordinal)
                .Select(m => new NearMiss(MatchedPolicy.Of(m.Policy), m.Verdict.Missing, m.Verdict.Explanation)).ToList();
        return TypedResults.Ok(new EnterpriseMatches(facts.Uscc, name, on, eligible.Count, shown, nearMisses));
    }

    private static async Task<Ok<MatchExplanation>> ExplainAsync(
        string uscc, Guid policyId, RadarCaller caller, MatchingEngine engine, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (facts, _) = await FindAsync(uscc, caller, engine, cancellationToken);
        var policy = engine.FindPolicy(policyId) ?? throw new NotFoundException($"没有编号为 {policyId} 的已发布政策。");
        var on = ChinaTime.Today(clock);
        var verdict = policy.Criteria.Evaluate(facts, on);
        return TypedResults.Ok(new MatchExplanation(
            facts.Uscc, MatchedPolicy.Of(policy), on, verdict.Eligible && policy.IsCurrentOn(on), verdict.IsNearMiss, verdict.Missing, verdict.Explanation));
    }

    private static async Task<Ok<ResultPage<PushRecord>>> PushesAsync(
        string uscc, string? kind, int? page, int? pageSize, RadarCaller caller, PolicyRadarDbContext db, CancellationToken cancellationToken)
    {
        var key = uscc.Trim().ToUpperInvariant();
        if (!caller.CanSeeEnterprise(key))
        {
            throw new NotFoundException($"没有您可以查看的企业（统一社会信用代码 {key}）。");
        }
        var (number, size) = PageRequest.Clamped(page, pageSize);
        var pushes = db.Pushes.AsNoTracking().Where(p => p.Uscc == key);
        if (!string.IsNullOrWhiteSpace(kind))
        {
            pushes = pushes.Where(p => p.Kind == kind);
        }
        var total = await pushes.CountAsync(cancellationToken);
        var items = await pushes.OrderByDescending(p => p.PushedAt).ThenBy(p => p.PolicyId).ThenBy(p => p.PolicyVersion).ThenBy(p => p.Kind).Skip((number - 1) * size).Take(size).ToListAsync(cancellationToken);
        return TypedResults.Ok(new ResultPage<PushRecord>(items, number, size, total));
    }

    private static async Task<(EnterpriseFacts Facts, string Name)> FindAsync(
        string uscc, RadarCaller caller, MatchingEngine engine, CancellationToken cancellationToken)
    {
        var key = uscc.Trim().ToUpperInvariant();
        await engine.Ready.WaitAsync(cancellationToken);
        return caller.CanSeeEnterprise(key) && engine.FindEnterprise(key) is { } found
            ? found
            : throw new NotFoundException($"没有您可以查看的企业（统一社会信用代码 {key}）。");
    }

    /// <summary>Filters and paging of the eligible list; near misses are listed whole (set nearMisses=false to skip them).</summary>
    public sealed record MatchQuery(string? Level, bool? Exempt, bool? NearMisses, int? Page, int? PageSize);
}
