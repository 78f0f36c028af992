using Songjiang.Testing;
using System.Net;

namespace Songjiang.Gateway.Tests;

public sealed class RateLimitTests(RateLimitedFixture platform) : IClassFixture<RateLimitedFixture>
{
    [Fact]
    public async Task Client_over_its_allowance_gets_429_with_retry_after_while_another_client_is_unaffected()
    {
        // Tokens straight from the identity service, so fetching them spends no gateway allowance.
        var greedy = await platform.UserTokenAsync("ent-zhisuan", via: platform.IdentityDirect);
        var other = await platform.UserTokenAsync("ent-g60bio", via: platform.IdentityDirect);

        for (var i = 0; i < RateLimitedFixture.Burst; i++)
        {
            using var allowed = await platform.GetAsync("/api/catalog/about", greedy);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
        using var refused = await platform.GetAsync("/api/catalog/about", greedy);
        using var unaffected = await platform.GetAsync("/api/catalog/about", other);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After must say how long to wait");
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, unaffected.StatusCode);
    }

    [Fact]
    public async Task Partner_cities_are_limited_per_city()
    {
        var jiaxing = await platform.CityTokenAsync("330400", via: platform.IdentityDirect);
        var hefei = await platform.CityTokenAsync("340100", via: platform.IdentityDirect);

        for (var i = 0; i < RateLimitedFixture.Burst; i++)
        {
            using var allowed = await platform.GetAsync("/api/exchange/about", jiaxing);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
        using var refused = await platform.GetAsync("/api/exchange/about", jiaxing);
        using var unaffected = await platform.GetAsync("/api/exchange/about", hefei);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unaffected.StatusCode);
    }
}
