using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Songjiang.PolicyRadar.Api.Application;
using Songjiang.PolicyRadar.Api.Criteria;
using Songjiang.PolicyRadar.Api.Infrastructure;
using Songjiang.PolicyRadar.Api.Matching;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Problems;
using Songjiang.ServiceDefaults.Time;

namespace Songjiang.PolicyRadar.Api.Features;

/// <summary>
/// What a policy's newest version (usually the draft under work) would do before anyone publishes it: how many
/// enterprises would newly qualify compared with the version in force, how many would no longer, and — for one chosen
/// enterprise — the clause-by-clause verdict. Evaluated on the radar's own read model, nothing is written or pushed.
/// </summary>
public static class PolicyPreviewApi
{
    /// <summary>Maps <c>GET /api/policyradar/manage/policies/{id}/preview</c>.</summary>
    public static IEndpointRouteBuilder MapPolicyPreviewApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/policyradar/manage/policies/{id:guid}/preview", PreviewAsync)
            .WithName("PreviewPolicy").WithTags("Policy management")
            .WithSummary("The newest version's effect before publishing: enterprises newly qualifying or no longer, and an optional enterprise's explained verdict (officers).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(PlatformPolicies.Authenticated);
        return endpoints;
    }

    private static async Task<Ok<PolicyPreview>> PreviewAsync(
        Guid id, string? uscc, RadarCaller caller, MatchingEngine engine, PolicyRadarDbContext db, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (!caller.CanSeeAll)
        {
            throw new ForbiddenException("只有政策管理人员和管理员可以预览政策的匹配效果。");
        }
        var policy = await db.Policies.AsNoTracking().Include(p => p.Versions).SingleOrDefaultAsync(p => p.Id == id, cancellationToken)
            ?? throw new NotFoundException($"没有编号为 {id} 的政策。");
        var newest = policy.Versions.Single(v => v.Version == policy.LatestVersion);
        var draft = MatchablePolicy.Of(newest);
        await engine.Ready.WaitAsync(cancellationToken);
        var today = ChinaTime.Today(clock);

        var underDraft = engine.EligibleIds(draft, today);
        var inForce = engine.FindPolicy(id) is { } current && current.Version != draft.Version ? current : null;
        var now = inForce is null
            ? (policy.PublishedVersion == draft.Version ? underDraft : [])
            : engine.EligibleIds(inForce, today);
        var nowSet = now.ToHashSet();
        var draftSet = underDraft.ToHashSet();

        EnterpriseTrial? trial = null;
        if (!string.IsNullOrWhiteSpace(uscc))
        {
            var key = uscc.Trim().ToUpperInvariant();
            var found = engine.FindEnterprise(key)
                ?? throw new ValidationFailedException("uscc", $"政策雷达中没有统一社会信用代码为 {key} 的企业。");
            trial = new EnterpriseTrial(
                found.Facts.Uscc, found.Name, draft.Criteria.Evaluate(found.Facts, today),
                inForce?.Criteria.Evaluate(found.Facts, today).Eligible ?? (policy.PublishedVersion == draft.Version && draft.Criteria.Evaluate(found.Facts, today).Eligible));
        }

        return TypedResults.Ok(new PolicyPreview(
            id, draft.Version, newest.Status.ToString(), policy.PublishedVersion, today, engine.EnterpriseCount,
            underDraft.Length, nowSet.Count, underDraft.Count(e => !nowSet.Contains(e)), now.Count(e => !draftSet.Contains(e)), trial));
    }

    /// <summary>The newest version's effect.</summary>
    /// <param name="PolicyId">The policy.</param>
    /// <param name="Version">The version evaluated (the newest).</param>
    /// <param name="Status">Its status (Draft, Submitted, Approved, Published…).</param>
    /// <param name="PublishedVersion">The version in force, if any.</param>
    /// <param name="On">The China calendar day evaluated on.</param>
    /// <param name="Enterprises">Enterprises the radar holds.</param>
    /// <param name="Eligible">Enterprises eligible under the evaluated version.</param>
    /// <param name="EligibleNow">Enterprises eligible under the version in force (0 when none is).</param>
    /// <param name="NewlyQualifying">Eligible under the evaluated version and not under the version in force: who publishing would reach.</param>
    /// <param name="NoLongerQualifying">Eligible now and not under the evaluated version.</param>
    /// <param name="Enterprise">The chosen enterprise's verdict, when one was asked for.</param>
    public sealed record PolicyPreview(
        Guid PolicyId, int Version, string Status, int? PublishedVersion, DateOnly On, int Enterprises, int Eligible, int EligibleNow,
        int NewlyQualifying, int NoLongerQualifying, EnterpriseTrial? Enterprise);

    /// <summary>One enterprise against the evaluated version.</summary>
    /// <param name="Uscc">Its code.</param>
    /// <param name="Name">Its name.</param>
    /// <param name="Verdict">Eligible or not, every clause explained.</param>
    /// <param name="EligibleNow">Whether it qualifies under the version in force.</param>
    public sealed record EnterpriseTrial(string Uscc, string Name, Verdict Verdict, bool EligibleNow);
}
