using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Problems;
using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;

namespace Songjiang.Gateway.Extensions;

/// <summary>
/// One token bucket per client: a partner city by its city code, a user by subject, a service by client id,
/// an anonymous caller by address. Over the limit: 429 with <c>Retry-After</c>.
/// </summary>
public static class ClientRateLimiting
{
    /// <summary>The policy name routes refer to.</summary>
    public const string PolicyName = "per-client";

    /// <summary>Registers the policy.</summary>
    public static IServiceCollection AddClientRateLimiting(this IServiceCollection services, RateLimitOptions limits)
    {
        services.AddRateLimiter(options =>
        {
            options.AddPolicy(PolicyName, context => RateLimitPartition.GetTokenBucketLimiter(
                PartitionKey(context),
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.Burst,
                    TokensPerPeriod = limits.TokensPerPeriod,
                    ReplenishmentPeriod = limits.Period,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            options.OnRejected = RejectAsync;
        });
        return services;
    }

    /// <summary>Who is being counted.</summary>
    public static string PartitionKey(HttpContext context)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated == true)
        {
            if (user.IsInRole(PlatformRoles.PartnerCity) && user.FindFirstValue(PlatformClaims.City) is { } city)
            {
                return "city:" + city;
            }
            if (user.FindFirstValue(PlatformClaims.Subject) is { } subject)
            {
                return "sub:" + subject;
            }
            if (user.FindFirstValue(PlatformClaims.ClientId) is { } clientId)
            {
                return "client:" + clientId;
            }
        }
        return "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var response = rejected.HttpContext.Response;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
            ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
            : 1;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);

        var problems = rejected.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = rejected.HttpContext,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = ProblemTitles.TooManyRequests,
                Detail = $"请求过于频繁，已超出允许的次数，请 {retryAfter} 秒后再试。",
            },
        });
    }
}
