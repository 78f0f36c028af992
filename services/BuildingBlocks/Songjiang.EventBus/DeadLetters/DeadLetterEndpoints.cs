using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Songjiang.EventBus;

/// <summary>Operator endpoints to list and replay the dead letters of one service.</summary>
public static class DeadLetterEndpoints
{
    private const int MaxLimit = 500;

    /// <summary>
    /// Maps <c>GET {prefix}/admin/dead-letters?limit=</c> and <c>POST {prefix}/admin/dead-letters/{messageId}/replay</c>,
    /// both requiring <paramref name="policy"/>.
    /// </summary>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <param name="prefix">The service's API prefix, e.g. <c>api/cases</c>.</param>
    /// <param name="policy">The authorization policy operators must satisfy.</param>
    public static RouteGroupBuilder MapEventBusAdminEndpoints(this IEndpointRouteBuilder endpoints, string prefix, string policy = "admin")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        var group = endpoints.MapGroup($"{prefix.Trim('/')}/admin/dead-letters")
            .RequireAuthorization(policy)
            .WithTags("Event bus");

        group.MapGet("", ListAsync)
            .WithName($"{prefix.Trim('/').Replace('/', '-')}-list-dead-letters")
            .WithSummary("Lists the events this service gave up on.");
        group.MapPost("{messageId}/replay", ReplayAsync)
            .WithName($"{prefix.Trim('/').Replace('/', '-')}-replay-dead-letter")
            .WithSummary("Delivers a dead-lettered event to this service again.");
        return group;
    }

    private static async Task<Results<Ok<IReadOnlyList<DeadLetter>>, ValidationProblem>> ListAsync(
        IDeadLetterStore store, CancellationToken ct, int limit = 100)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["limit"] = [$"条数须在 1 到 {MaxLimit} 之间。"],
            });
        }

        return TypedResults.Ok(await store.ListAsync(limit, ct));
    }

    private static async Task<Results<Accepted, NotFound<ProblemDetails>>> ReplayAsync(
        string messageId, IDeadLetterStore store, CancellationToken ct) =>
        await store.ReplayAsync(messageId, ct)
            ? TypedResults.Accepted((string?)null)
            : TypedResults.NotFound(new ProblemDetails
            {
                Title = "没有这条死信",
                Detail = $"没有标识为“{messageId}”的死信。",
                Status = StatusCodes.Status404NotFound,
            });
}
