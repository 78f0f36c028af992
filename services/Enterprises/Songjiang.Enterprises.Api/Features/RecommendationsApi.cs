using Songjiang.Enterprises.Api.Clients;
using Songjiang.ServiceDefaults.Time;
using Microsoft.AspNetCore.Http.HttpResults;
using Songjiang.Enterprises.Api.Infrastructure;
using Songjiang.ServiceDefaults.Authentication;
using System.Security.Claims;

namespace Songjiang.Enterprises.Api.Features;

/// <summary>服务超市: what the enterprise is likely to need next, explained.</summary>
public static class RecommendationsApi
{
    /// <summary>Maps <c>GET /api/enterprises/{uscc}/recommendations</c>.</summary>
    public static IEndpointRouteBuilder MapRecommendationsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/enterprises/{uscc}/recommendations", GetAsync)
            .WithName("EnterpriseRecommendations")
            .WithSummary("Matters and bundles the enterprise is likely to need next, each with the reason and the facts behind it.")
            .WithTags("Service recommendations")
            .RequireAuthorization(PlatformPolicies.Authenticated);
        return endpoints;
    }

    private static async Task<Ok<RecommendationList>> GetAsync(
        string uscc, ClaimsPrincipal user, EnterprisesDbContext db, Recommendations recommendations, CatalogClient catalog,
        TimeProvider clock, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var enterprise = await EnterprisesApi.LoadReadableAsync(db, new Caller(user), uscc, cancellationToken);
        var items = new List<Recommendation>();
        var catalogAvailable = true;
        foreach (var (rule, because) in recommendations.For(enterprise, ChinaTime.Today(clock)))
        {
            CatalogEntry? entry = null;
            if (catalogAvailable)
            {
                try
                {
                    entry = await catalog.FindAsync(rule.Target.Kind, rule.Target.Code, cancellationToken);
                    if (entry is null)
                    {
                        continue;   // withdrawn from the catalog: nothing to apply for
                    }
                }
                catch (HttpRequestException exception)
                {
                    // The rules still hold without the catalog; say so instead of failing the page.
                    loggers.CreateLogger(typeof(RecommendationsApi)).LogWarning(exception, "Catalog unreachable for recommendations");
                    catalogAvailable = false;
                }
            }
            items.Add(new Recommendation(rule.Target.Kind, rule.Target.Code, entry?.Name, entry?.DepartmentName, entry?.PromisedLimitDays,
                rule.Reason, because));
        }
        return TypedResults.Ok(new RecommendationList(enterprise.Uscc, enterprise.Stage.ToString(), catalogAvailable, items));
    }

    /// <summary>The recommendations for one enterprise.</summary>
    public sealed record RecommendationList(string Uscc, string Stage, bool CatalogAvailable, IReadOnlyList<Recommendation> Items);

    /// <summary>One recommendation.</summary>
    public sealed record Recommendation(
        string Kind, string Code, string? Name, string? Department, int? PromisedLimitDays, string Reason, IReadOnlyList<string> Because);
}
