using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Songjiang.Enterprises.Api.Infrastructure;
using Songjiang.Enterprises.Api.IntegrationEvents.Events;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Problems;
using System.Security.Claims;

namespace Songjiang.Enterprises.Api.Features;

/// <summary>
/// Full profiles for other services' read models (the policy radar's initial sync), keyset-paged by USCC, each in the
/// shape of the <c>enterprises.profile-changed.v1</c> event's <c>profile</c> with the time it last changed, so a
/// consumer can keep the newer of a feed item and an event. Platform services and administrators only.
/// </summary>
public static class ReadModelFeedApi
{
    private const int MaxLimit = 1000;

    /// <summary>Maps <c>GET /api/enterprises/read-model-feed</c>.</summary>
    public static IEndpointRouteBuilder MapReadModelFeedApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/enterprises/read-model-feed", FeedAsync)
            .WithName("EnterpriseReadModelFeed")
            .WithTags("Enterprise profiles")
            .WithSummary("Every profile in the profile-changed event's shape, ordered by USCC, after a cursor (platform services, admins).")
            .RequireAuthorization(PlatformPolicies.Authenticated);
        return endpoints;
    }

    private static async Task<Ok<FeedPage>> FeedAsync(
        string? after, int? limit, ClaimsPrincipal user, EnterprisesDbContext db, CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        if (!caller.IsService && !caller.IsAdmin)
        {
            throw new ForbiddenException("企业档案同步接口只供平台服务和管理员使用。");
        }
        if (limit is < 1 or > MaxLimit)
        {
            throw new ValidationFailedException("limit", $"每次读取条数须在 1 到 {MaxLimit} 之间。");
        }
        var take = limit ?? 200;
        var profiles = db.Enterprises.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(after))
        {
            var cursor = after.Trim().ToUpperInvariant();
            profiles = profiles.Where(e => string.Compare(e.Uscc, cursor) > 0);
        }
        var page = await profiles.OrderBy(e => e.Uscc).Take(take).ToListAsync(cancellationToken);
        var items = page.Select(e => new FeedItem(e.Uscc, e.Version.ToString("N"), e.UpdatedAt, EnterpriseSnapshot.Of(e))).ToList();
        return TypedResults.Ok(new FeedPage(items, items.Count == take ? items[^1].Uscc : null));
    }

    /// <summary>A page; <see cref="Next"/> is the cursor for the next page, null after the last.</summary>
    public sealed record FeedPage(IReadOnlyList<FeedItem> Items, string? Next);

    /// <summary>A profile, its version and when it last changed.</summary>
    public sealed record FeedItem(string Uscc, string Version, DateTimeOffset UpdatedAt, EnterpriseSnapshot Profile);
}
