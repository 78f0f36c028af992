using Songjiang.Testing;
using System.Net;
using System.Net.Http.Headers;

namespace Songjiang.Gateway.Tests;

/// <summary>The platform with a load balancer on loopback that the gateway is told to trust, and a small allowance.</summary>
public sealed class TrustedProxyFixture : PlatformFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Gateway:TrustedProxies:0", "127.0.0.0/8"),
        new("Gateway:RateLimit:Burst", "2"),
        new("Gateway:RateLimit:TokensPerPeriod", "1"),
        new("Gateway:RateLimit:Period", "00:10:00"),
    ];
}

public sealed class ForwardedForTests(RateLimitedFixture platform) : IClassFixture<RateLimitedFixture>
{
    [Fact]
    public async Task An_anonymous_caller_rotating_x_forwarded_for_is_still_one_caller_to_the_rate_limit()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < RateLimitedFixture.Burst + 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/matters/");
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", $"198.51.100.{i + 1}");
            using var response = await platform.Gateway.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        // Other calls from loopback in the same fixture may have spent part of the allowance already; what matters is
        // that fresh forwarded addresses never buy more than one caller's burst.
        Assert.InRange(statuses.Count(s => s == HttpStatusCode.OK), 1, RateLimitedFixture.Burst);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    [Fact]
    public async Task A_forwarded_https_from_an_untrusted_caller_earns_no_hsts()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/openid-configuration");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");

        using var response = await platform.Gateway.SendAsync(request);

        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }
}

public sealed class TrustedProxyTests(TrustedProxyFixture platform) : IClassFixture<TrustedProxyFixture>
{
    [Fact]
    public async Task Behind_a_configured_proxy_each_forwarded_address_has_its_own_allowance()
    {
        for (var i = 0; i < 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/matters/");
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", $"198.51.100.{i + 1}");
            using var response = await platform.Gateway.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Served_over_https_behind_the_proxy_the_gateway_sends_hsts()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/openid-configuration");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "198.51.100.200");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");

        using var response = await platform.Gateway.SendAsync(request);

        Assert.StartsWith("max-age=", response.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
    }
}

public sealed class SecurityHeaderTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    public static TheoryData<string> ApiPaths =>
    [
        "/api/catalog/matters/",
        "/api/catalog/matters/NO-SUCH-MATTER",
        "/api/cases/applications",
        "/api/nowhere",
        "/.well-known/openid-configuration",
        "/openapi/catalog.json",
        "/health",
    ];

    [Theory]
    [MemberData(nameof(ApiPaths))]
    public async Task Every_api_response_carries_nosniff_a_referrer_policy_and_a_policy_that_loads_nothing(string path)
    {
        using var response = await platform.Gateway.GetAsync(path);

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "no HSTS over plain HTTP");
    }

    [Fact]
    public async Task The_token_endpoint_and_the_sign_in_page_carry_a_policy_too()
    {
        using var token = await PlatformFixture.RequestTokenAsync(platform.Gateway, ("grant_type", "client_credentials"));
        using var login = await platform.Gateway.GetAsync("/account/login");

        Assert.Contains("default-src 'none'", token.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", login.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", login.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task The_api_reference_may_run_its_own_scripts_only()
    {
        using var response = await platform.Gateway.GetAsync("/docs/");

        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("catalog")]
    [InlineData("cases")]
    [InlineData("licenses")]
    [InlineData("enterprises")]
    [InlineData("policyradar")]
    [InlineData("exchange")]
    public async Task About_shows_environment_and_commit_to_admins_only(string service)
    {
        var enterprise = await platform.UserTokenAsync("ent-zhisuan");
        var admin = await platform.UserTokenAsync("admin");

        using var asEnterprise = await platform.GetAsync($"/api/{service}/about", enterprise);
        using var asAdmin = await platform.GetAsync($"/api/{service}/about", admin);

        var seenByEnterprise = await PlatformFixture.JsonOf(asEnterprise);
        Assert.False(seenByEnterprise.TryGetProperty("environment", out _));
        Assert.False(seenByEnterprise.TryGetProperty("commit", out _));
        Assert.DoesNotContain('+', seenByEnterprise.GetProperty("version").GetString()!);
        var seenByAdmin = await PlatformFixture.JsonOf(asAdmin);
        Assert.Equal("Development", seenByAdmin.GetProperty("environment").GetString());
        Assert.False(string.IsNullOrEmpty(seenByAdmin.GetProperty("commit").GetString()));
    }
}
