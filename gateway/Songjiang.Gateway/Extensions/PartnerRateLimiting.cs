using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Songjiang.ServiceDefaults.Problems;

namespace Songjiang.Gateway.Extensions;

/// <summary>
/// Rate limiting of the G60 partner API (<c>/api/partner/v1</c>), which the exchange authenticates by signature, not
/// by a token the gateway could read. A request is charged to a city only once the exchange has verified it (the
/// exchange answers with <c>X-G60-Verified-City</c>, which the gateway removes); a request the exchange refuses is
/// charged to the caller's address. A request is turned away (429) when the city it claims, or its address, has used
/// up its allowance — so an unverified <c>X-G60-City</c> can never spend another city's quota, only meet its limit.
/// </summary>
public sealed class PartnerRateLimiting(IOptions<GatewayOptions> options) : IDisposable
{
    /// <summary>The partner API's path prefix.</summary>
    public const string PathPrefix = "/api/partner/v1";

    /// <summary>The header the exchange sets on a verified request's response.</summary>
    public const string VerifiedCityHeader = "X-G60-Verified-City";

    private readonly ConcurrentDictionary<string, TokenBucketRateLimiter> _buckets = new(StringComparer.Ordinal);

    /// <summary>The proxy pipeline step.</summary>
    public static async Task Apply(HttpContext context, Func<Task> next)
    {
        if (!context.Request.Path.StartsWithSegments(PathPrefix))
        {
            await next();
            return;
        }
        var limits = context.RequestServices.GetRequiredService<PartnerRateLimiting>();
        var claimed = context.Request.Headers["X-G60-City"].ToString();
        var address = "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        if ((claimed.Length > 0 && limits.Exhausted("city:" + claimed)) || limits.Exhausted(address))
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = "1";
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Title = ProblemTitles.TooManyRequests,
                    Detail = "该城市或来源地址的请求额度已用完，请 1 秒后重试。",
                    Extensions = { ["code"] = "rate-limited" },
                },
            });
            return;
        }
        context.Response.OnStarting(() =>
        {
            var verified = context.Response.Headers[VerifiedCityHeader].ToString();
            context.Response.Headers.Remove(VerifiedCityHeader);
            limits.Charge(verified.Length > 0 ? "city:" + verified : address);
            return Task.CompletedTask;
        });
        await next();
    }

    private bool Exhausted(string key) =>
        _buckets.TryGetValue(key, out var bucket) && bucket.GetStatistics()?.CurrentAvailablePermits <= 0;

    private void Charge(string key)
    {
        var bucket = _buckets.GetOrAdd(key, _ =>
        {
            var limit = options.Value.RateLimit;
            return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = limit.Burst,
                TokensPerPeriod = limit.TokensPerPeriod,
                ReplenishmentPeriod = limit.Period,
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });
        using var lease = bucket.AttemptAcquire(1);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var bucket in _buckets.Values)
        {
            bucket.Dispose();
        }
    }
}
