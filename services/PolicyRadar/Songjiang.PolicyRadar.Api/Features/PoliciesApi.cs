using Songjiang.ServiceDefaults.Time;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Songjiang.PolicyRadar.Api.Application;
using Songjiang.PolicyRadar.Api.Domain;
using Songjiang.PolicyRadar.Api.Infrastructure;
using Songjiang.PolicyRadar.Api.Search;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Paging;
using Songjiang.ServiceDefaults.Problems;

namespace Songjiang.PolicyRadar.Api.Features;

/// <summary>
/// Published policies for everyone (no token needed): search with facets, a policy, its version history. Officers
/// see drafts too.
/// </summary>
public static class PoliciesApi
{
    /// <summary>Maps <c>/api/policyradar/search</c> and <c>/api/policyradar/policies</c>.</summary>
    public static IEndpointRouteBuilder MapPoliciesApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/policyradar/search", Search).WithName("SearchPolicies").WithTags("Policies").AllowAnonymous()
            .WithSummary("Chinese full-text search over published policies with highlighting, facets (level, issuing body, industry, open now), filters and paging.");
        var api = endpoints.MapGroup("/api/policyradar/policies").WithTags("Policies").AllowAnonymous();
        api.MapGet("/", Search).WithName("ListPolicies")
            .WithSummary("Published policies, newest first or by relevance to q; the same filters, facets and paging as the search.");
        api.MapGet("/{id:guid}", GetAsync).WithName("GetPolicy").WithSummary("A published policy in its version in force, with the version history.");
        api.MapGet("/{id:guid}/versions/{version:int}", GetVersionAsync).WithName("GetPolicyVersion")
            .WithSummary("One version; drafts only for policy officers.");
        return endpoints;
    }

    private static Ok<PolicySearchResult> Search([AsParameters] SearchQuery query, PolicySearchIndex index)
    {
        if (query.Q is { Length: > 200 })
        {
            throw new ValidationFailedException("q", "搜索词不超过 200 个字。");
        }
        if (query.PageSize is < 1 or > 100)
        {
            throw new ValidationFailedException("pageSize", "每页条数须在 1 到 100 之间。");
        }
        if (query.Page is < 1 or > 500)
        {
            throw new ValidationFailedException("page", "页码须在 1 到 500 之间。");
        }
        return TypedResults.Ok(index.Search(new PolicyQuery(
            query.Q, query.Level, query.IssuingBody, query.Industry, query.EnterpriseKind, query.Topic, query.BenefitType, query.OpenNow,
            query.Exempt, query.Page ?? 1, query.PageSize ?? 20)));
    }

    private static async Task<Ok<PolicyView>> GetAsync(Guid id, RadarCaller caller, PolicyRadarDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var policy = await db.Policies.AsNoTracking().Include(p => p.Versions).SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (policy?.PublishedVersion is not { } published)
        {
            throw new NotFoundException($"没有编号为 {id} 的已发布政策。");
        }
        var today = ChinaTime.Today(clock);
        return TypedResults.Ok(new PolicyView(
            policy.Id, policy.LatestVersion, published,
            PolicyVersionView.Of(policy.Versions.Single(v => v.Version == published), today, caller.CanSeeAll),
            [.. policy.Versions.Where(v => caller.CanSeeAll || v.PublishedAt is not null).OrderByDescending(v => v.Version).Select(VersionSummary.Of)]));
    }

    private static async Task<Ok<PolicyVersionView>> GetVersionAsync(
        Guid id, int version, RadarCaller caller, PolicyRadarDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var row = await db.PolicyVersions.AsNoTracking().SingleOrDefaultAsync(v => v.PolicyId == id && v.Version == version, cancellationToken);
        if (row is null || (row.PublishedAt is null && !caller.CanSeeAll))
        {
            throw new NotFoundException($"政策 {id} 没有已发布的第 {version} 版。");
        }
        return TypedResults.Ok(PolicyVersionView.Of(row, ChinaTime.Today(clock), caller.CanSeeAll));
    }

    /// <summary>Search words, filters and paging.</summary>
    public sealed record SearchQuery(
        string? Q, string? Level, string? IssuingBody, string? Industry, string? EnterpriseKind, string? Topic, string? BenefitType,
        bool? OpenNow, bool? Exempt, int? Page, int? PageSize);
}

/// <summary>Policy officers draft, review and publish (four-eyes); they list every policy and its eligible enterprises.</summary>
public static class PolicyManagementApi
{
    /// <summary>Maps <c>/api/policyradar/manage/policies</c>.</summary>
    public static IEndpointRouteBuilder MapPolicyManagementApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/policyradar/manage/policies").WithTags("Policy management").RequireAuthorization(PlatformPolicies.Authenticated);
        api.MapGet("/", ListAsync).WithName("ListAllPolicies").WithSummary("Every policy with its newest version's status; filters and paging (officers).");
        api.MapPost("/", CreateAsync).WithName("DraftPolicy").WithSummary("Starts a policy with a first draft; criteria are validated clause by clause (officers).");
        api.MapGet("/{id:guid}", GetAsync).WithName("GetManagedPolicy").WithSummary("A policy with its newest version, drafts included (officers).");
        api.MapPut("/{id:guid}/draft", EditAsync).WithName("EditPolicyDraft")
            .WithSummary("Replaces the open draft, or starts the next version when the newest is published (officers).");
        api.MapPost("/{id:guid}/submit", SubmitAsync).WithName("SubmitPolicy").WithSummary("Submits the draft for review (officers).");
        api.MapPost("/{id:guid}/review", ReviewAsync).WithName("ReviewPolicy")
            .WithSummary("Approves the submitted draft or returns it with a note (reviewers other than its drafter).");
        api.MapPost("/{id:guid}/publish", PublishAsync).WithName("PublishPolicy")
            .WithSummary("Publishes the approved version and re-matches every enterprise (approvers other than its drafter and reviewer).");
        api.MapGet("/{id:guid}/eligible", EligibleAsync).WithName("EligibleEnterprises")
            .WithSummary("Enterprises eligible for the version in force, with filters and paging, and when each was pushed (officers).");
        return endpoints;
    }

    private static async Task<Ok<ResultPage<PolicySummary>>> ListAsync(
        [AsParameters] ListQuery query, RadarCaller caller, PolicyRadarDbContext db, CancellationToken cancellationToken)
    {
        RequireOfficer(caller);
        var (page, pageSize) = PageRequest.Clamped(query.Page, query.PageSize);
        var latest = from p in db.Policies.AsNoTracking()
                     join v in db.PolicyVersions.AsNoTracking() on new { Id = p.Id, Version = p.LatestVersion } equals new { Id = v.PolicyId, v.Version }
                     select new { p, v };
        if (query.Status is { } status)
        {
            latest = latest.Where(x => x.v.Status == status);
        }
        if (query.Level is { } level)
        {
            latest = latest.Where(x => x.v.Level == level);
        }
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            latest = latest.Where(x => x.v.Title.Contains(query.Q) || x.v.DocumentNumber.Contains(query.Q));
        }
        var total = await latest.CountAsync(cancellationToken);
        var rows = await latest.OrderByDescending(x => x.p.UpdatedAt).ThenBy(x => x.p.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return TypedResults.Ok(new ResultPage<PolicySummary>(
            [.. rows.Select(x => new PolicySummary(x.p.Id, x.p.LatestVersion, x.p.PublishedVersion, x.v.Status, x.v.Title, x.v.Level, x.v.IssuingBody, x.v.DocumentNumber, x.p.UpdatedAt))],
            page, pageSize, total));
    }

    private static async Task<Created<PolicyView>> CreateAsync(
        PolicyDraft draft, RadarCaller caller, PolicyWorkflow workflow, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!caller.CanDraft)
        {
            throw new ForbiddenException("只有政策管理人员可以起草政策。");
        }
        var policy = await workflow.CreateAsync(draft, caller.Id, cancellationToken);
        return TypedResults.Created($"/api/policyradar/manage/policies/{policy.Id}", View(policy, clock));
    }

    private static async Task<Ok<PolicyView>> GetAsync(Guid id, RadarCaller caller, PolicyRadarDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        RequireOfficer(caller);
        var policy = await db.Policies.AsNoTracking().Include(p => p.Versions).SingleOrDefaultAsync(p => p.Id == id, cancellationToken)
            ?? throw new NotFoundException($"没有编号为 {id} 的政策。");
        return TypedResults.Ok(View(policy, clock));
    }

    private static async Task<Ok<PolicyView>> EditAsync(
        Guid id, PolicyDraft draft, RadarCaller caller, PolicyWorkflow workflow, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!caller.CanDraft)
        {
            throw new ForbiddenException("只有政策管理人员可以修改政策。");
        }
        return TypedResults.Ok(View(await workflow.EditAsync(id, draft, caller.Id, cancellationToken), clock));
    }

    private static async Task<Ok<PolicyView>> SubmitAsync(Guid id, RadarCaller caller, PolicyWorkflow workflow, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!caller.CanDraft)
        {
            throw new ForbiddenException("只有政策管理人员可以将草稿送审。");
        }
        return TypedResults.Ok(View(await workflow.SubmitAsync(id, caller.Id, cancellationToken), clock));
    }

    private static async Task<Ok<PolicyView>> ReviewAsync(
        Guid id, ReviewRequest request, RadarCaller caller, PolicyWorkflow workflow, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!caller.CanReview)
        {
            throw new ForbiddenException("只有具有审核角色的政策管理人员可以审核草稿。");
        }
        var approve = request.Decision switch
        {
            "approve" => true,
            "return" => false,
            _ => throw new ValidationFailedException("decision", "审核结论须为 approve（通过）或 return（退回）。"),
        };
        return TypedResults.Ok(View(await workflow.ReviewAsync(id, approve, request.Note, caller.Id, cancellationToken), clock));
    }

    private static async Task<Ok<PolicyView>> PublishAsync(Guid id, RadarCaller caller, PolicyWorkflow workflow, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!caller.CanPublish)
        {
            throw new ForbiddenException("只有具有审批角色的政策管理人员可以发布政策。");
        }
        return TypedResults.Ok(View(await workflow.PublishAsync(id, caller.Id, cancellationToken), clock));
    }

    private static async Task<Ok<ResultPage<EligibleEnterprise>>> EligibleAsync(
        Guid id, [AsParameters] EligibleQuery query, RadarCaller caller, Matching.MatchingEngine engine, PolicyRadarDbContext db,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        RequireOfficer(caller);
        await engine.Ready.WaitAsync(cancellationToken);
        var policy = engine.FindPolicy(id) ?? throw new NotFoundException($"没有编号为 {id} 的已发布政策。");
        var (page, pageSize) = PageRequest.Clamped(query.Page, query.PageSize);
        var eligible = engine.EligibleEnterprises(policy, ChinaTime.Today(clock))
            .Where(e => string.IsNullOrWhiteSpace(query.Location) || e.Facts.Location == query.Location)
            .Where(e => string.IsNullOrWhiteSpace(query.Industry) || e.Facts.IndustryCode.StartsWith(query.Industry, StringComparison.Ordinal))
            .OrderBy(e => e.Facts.Uscc, StringComparer.Ordinal).ToList();
        var shown = eligible.Skip((page - 1) * pageSize).Take(pageSize).ToList();
        var keys = shown.Select(e => e.Facts.Uscc).ToList();
        var pushed = await db.Pushes.AsNoTracking()
            .Where(p => p.PolicyId == id && p.PolicyVersion == policy.Version && p.Kind == PushRecord.MatchKind && keys.Contains(p.Uscc))
            .ToDictionaryAsync(p => p.Uscc, p => p.PushedAt, cancellationToken);
        return TypedResults.Ok(new ResultPage<EligibleEnterprise>(
            [.. shown.Select(e => new EligibleEnterprise(e.Facts.Uscc, e.Name, e.Facts.Location, e.Facts.IndustryCode, e.Facts.SizeClass,
                pushed.TryGetValue(e.Facts.Uscc, out var at) ? at : null))],
            page, pageSize, eligible.Count));
    }

    private static void RequireOfficer(RadarCaller caller)
    {
        if (!caller.CanSeeAll)
        {
            throw new ForbiddenException("只有政策管理人员和管理员可以管理政策。");
        }
    }

    private static PolicyView View(Policy policy, TimeProvider clock) => new(
        policy.Id, policy.LatestVersion, policy.PublishedVersion, PolicyVersionView.Of(policy.Latest, ChinaTime.Today(clock), forOfficer: true),
        [.. policy.Versions.OrderByDescending(v => v.Version).Select(VersionSummary.Of)]);

    /// <summary>Filters and paging of the officers' list.</summary>
    public sealed record ListQuery(PolicyStatus? Status, PolicyLevel? Level, string? Q, int? Page, int? PageSize);

    /// <summary>Filters and paging of the eligible enterprises.</summary>
    public sealed record EligibleQuery(string? Location, string? Industry, int? Page, int? PageSize);

    /// <summary>A review decision: <c>approve</c> or <c>return</c> (with a note).</summary>
    public sealed record ReviewRequest(string? Decision, string? Note);
}
