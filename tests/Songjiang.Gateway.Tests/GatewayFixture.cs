using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Songjiang.Testing;

namespace Songjiang.Gateway.Tests;

/// <summary>
/// The platform plus an echo server behind an extra gateway route: the echo stands in for a service so a test
/// can see exactly which headers the gateway forwarded.
/// </summary>
public sealed class GatewayFixture : PlatformFixture
{
    private readonly int _echoPort = FreePorts.Take(1)[0];
    private WebApplication? _echo;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("ReverseProxy:Routes:echo:ClusterId", "echo"),
        new("ReverseProxy:Routes:echo:Match:Path", "/echo/{**rest}"),
        new("ReverseProxy:Routes:echo:AuthorizationPolicy", "authenticated"),
        new("ReverseProxy:Routes:echo:RateLimiterPolicy", "per-client"),
        new("ReverseProxy:Routes:echo:MaxRequestBodySize", "1024"),
        new("ReverseProxy:Clusters:echo:Destinations:primary:Address", $"http://127.0.0.1:{_echoPort}"),
    ];

    public override async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{_echoPort}");
        _echo = builder.Build();
        _echo.MapGet("/health/ready", () => Results.Ok());
        _echo.Map("/echo/{**rest}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            return Results.Ok(new
            {
                headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
                bodyLength = body.Length,
            });
        });
        await _echo.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_echo is not null)
        {
            await _echo.DisposeAsync();
        }
    }
}

/// <summary>The platform with a tiny per-client allowance, to exhaust it quickly.</summary>
public sealed class RateLimitedFixture : PlatformFixture
{
    public const int Burst = 3;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Gateway:RateLimit:Burst", Burst.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Gateway:RateLimit:TokensPerPeriod", "1"),
        new("Gateway:RateLimit:Period", "00:10:00"),
    ];
}
