using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Songjiang.PolicyRadar.Api.Domain;
using Songjiang.PolicyRadar.Api.Infrastructure;
using Songjiang.PolicyRadar.Api.Matching;
using Songjiang.PolicyRadar.Api.Search;
using Songjiang.PolicyRadar.Api.Sync;
using Songjiang.ServiceDefaults.Authentication;

namespace Songjiang.PolicyRadar.Api.Features;

/// <summary>Administrators see the radar's state and start a new sync of enterprise profiles.</summary>
public static class RadarAdminApi
{
    /// <summary>Maps <c>/api/policyradar/admin</c>.</summary>
    public static IEndpointRouteBuilder MapRadarAdminApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/policyradar/admin").WithTags("Administration").RequireAuthorization(PlatformPolicies.Admin);
        api.MapGet("/status", StatusAsync).WithName("RadarStatus").WithSummary("Enterprises and policies held, documents indexed, and the sync's progress.");
        api.MapPost("/sync", SyncAsync).WithName("RestartSync").WithSummary("Reads every profile from the enterprise service again (restartable, never loses newer events).");
        return endpoints;
    }

    private static async Task<Ok<RadarStatus>> StatusAsync(
        MatchingEngine engine, PolicySearchIndex index, PolicyRadarDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(new RadarStatus(
            engine.Ready.IsCompleted, engine.EnterpriseCount, engine.PolicyCount, index.Count,
            await db.SyncStates.AsNoTracking().SingleOrDefaultAsync(s => s.Source == EnterpriseSync.Source, cancellationToken)));

    private static async Task<Accepted> SyncAsync(PolicyRadarDbContext db, EnterpriseSync sync, TimeProvider clock, CancellationToken cancellationToken)
    {
        await EnterpriseSync.RestartAsync(db, clock, cancellationToken);
        sync.Wake();
        return TypedResults.Accepted("/api/policyradar/admin/status");
    }

    /// <summary>The radar's state.</summary>
    public sealed record RadarStatus(bool Loaded, int Enterprises, int PublishedPolicies, int IndexedPolicies, SyncState? Sync);
}
