using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Songjiang.PolicyRadar.Api.Application;
using Songjiang.PolicyRadar.Api.Domain;
using Songjiang.PolicyRadar.Api.Infrastructure;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Problems;

namespace Songjiang.PolicyRadar.Api.Features;

/// <summary>An enterprise subscribes to topics and keywords; newly published policies that fit are pushed to it.</summary>
public static class SubscriptionsApi
{
    private const int MaxSubscriptions = 20;
    private const int MaxTerms = 20;

    /// <summary>Maps <c>/api/policyradar/enterprises/{uscc}/subscriptions</c>.</summary>
    public static IEndpointRouteBuilder MapSubscriptionsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/policyradar/enterprises/{uscc}/subscriptions").WithTags("Subscriptions")
            .RequireAuthorization(PlatformPolicies.Authenticated);
        api.MapGet("/", ListAsync).WithName("ListSubscriptions").WithSummary("The enterprise's subscriptions (its own staff, officers).");
        api.MapPost("/", CreateAsync).WithName("Subscribe").WithSummary("Subscribes to topics (tags) and keywords (its own staff).");
        api.MapDelete("/{id:guid}", DeleteAsync).WithName("Unsubscribe").WithSummary("Ends a subscription (its own staff).");
        return endpoints;
    }

    private static async Task<Ok<List<Subscription>>> ListAsync(string uscc, RadarCaller caller, PolicyRadarDbContext db, CancellationToken cancellationToken)
    {
        var key = Readable(uscc, caller);
        return TypedResults.Ok(await db.Subscriptions.AsNoTracking().Where(s => s.Uscc == key).OrderBy(s => s.CreatedAt).ToListAsync(cancellationToken));
    }

    private static async Task<Created<Subscription>> CreateAsync(
        string uscc, SubscriptionRequest request, RadarCaller caller, PolicyRadarDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var key = Readable(uscc, caller);
        if (!caller.CanManageSubscriptions(key))
        {
            throw new ForbiddenException("只有本企业的工作人员可以管理本企业的订阅。");
        }
        var errors = new Dictionary<string, string[]>();
        var topics = Terms("topics", request.Topics, errors);
        var keywords = Terms("keywords", request.Keywords, errors);
        if (topics.Count + keywords.Count == 0 && errors.Count == 0)
        {
            errors["topics"] = ["请至少填写一个主题或关键词。"];
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
        if (await db.Subscriptions.CountAsync(s => s.Uscc == key, cancellationToken) >= MaxSubscriptions)
        {
            throw new ConflictException($"每家企业最多保留 {MaxSubscriptions} 个订阅，请先取消一个。");
        }
        var subscription = new Subscription { Uscc = key, Topics = topics, Keywords = keywords, CreatedBy = caller.Id, CreatedAt = clock.GetUtcNow() };
        db.Subscriptions.Add(subscription);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/policyradar/enterprises/{key}/subscriptions/{subscription.Id}", subscription);
    }

    private static async Task<NoContent> DeleteAsync(string uscc, Guid id, RadarCaller caller, PolicyRadarDbContext db, CancellationToken cancellationToken)
    {
        var key = Readable(uscc, caller);
        if (!caller.CanManageSubscriptions(key))
        {
            throw new ForbiddenException("只有本企业的工作人员可以管理本企业的订阅。");
        }
        var subscription = await db.Subscriptions.SingleOrDefaultAsync(s => s.Id == id && s.Uscc == key, cancellationToken)
            ?? throw new NotFoundException($"本企业没有编号为 {id} 的订阅。");
        db.Subscriptions.Remove(subscription);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static string Readable(string uscc, RadarCaller caller)
    {
        var key = uscc.Trim().ToUpperInvariant();
        return caller.CanSeeEnterprise(key) ? key : throw new NotFoundException($"没有您可以查看的企业（统一社会信用代码 {key}）。");
    }

    private static List<string> Terms(string field, List<string>? values, Dictionary<string, string[]> errors)
    {
        var terms = (values ?? []).Select(v => v?.Trim() ?? "").ToList();
        if (terms.Count > MaxTerms)
        {
            errors[field] = [$"{Label(field)}最多填写 {MaxTerms} 个。"];
        }
        else if (terms.Any(t => t.Length is 0 or > 30))
        {
            errors[field] = [$"{Label(field)}每个 1 到 30 个字。"];
        }
        return [.. terms.Distinct(StringComparer.Ordinal)];
    }

    private static string Label(string field) => field == "topics" ? "主题" : "关键词";

    /// <summary>Topics (tags such as 人工智能, 高新技术企业, 研发, G60) and keywords (Chinese words or phrases).</summary>
    public sealed record SubscriptionRequest(List<string>? Topics, List<string>? Keywords);
}
