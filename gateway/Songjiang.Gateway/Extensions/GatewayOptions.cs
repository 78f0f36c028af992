using System.ComponentModel.DataAnnotations;

namespace Songjiang.Gateway.Extensions;

/// <summary>Edge policies of the gateway (section <c>Gateway</c>).</summary>
public sealed class GatewayOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Gateway";

    /// <summary>
    /// Request headers removed before forwarding, so a client cannot pose as a user, tenant or internal caller.
    /// A trailing <c>*</c> matches a prefix. Services authorise on the validated token only.
    /// </summary>
    public List<string> StrippedRequestHeaders { get; set; } = [];

    /// <summary>
    /// Proxies in front of the gateway (addresses or CIDR networks, e.g. the load balancer's) whose
    /// <c>X-Forwarded-*</c> headers are believed. Empty: none, every caller is the address it connects from.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>Per-client token-bucket rate limit.</summary>
    [Required]
    public RateLimitOptions RateLimit { get; set; } = new();
}

/// <summary>A token bucket per client: <see cref="Burst"/> requests at once, refilled by <see cref="TokensPerPeriod"/> each period.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Bucket size: the most requests a client can make at once.</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 200;

    /// <summary>Tokens added each <see cref="Period"/>.</summary>
    [Range(1, 1_000_000)]
    public int TokensPerPeriod { get; set; } = 50;

    /// <summary>Refill period.</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromSeconds(1);
}
