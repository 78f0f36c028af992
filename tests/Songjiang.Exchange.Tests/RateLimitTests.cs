using System.Net;
using Songjiang.Exchange.Tests.Support;
using Songjiang.Testing;

namespace Songjiang.Exchange.Tests;

/// <summary>A platform whose gateway allows three partner requests per city and per address, refilled once a minute.</summary>
public sealed class TightLimitPlatform : ExchangePlatform
{
    /// <inheritdoc />
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => base.Settings.Concat(new Dictionary<string, string?>
    {
        ["Gateway:RateLimit:Burst"] = "3",
        ["Gateway:RateLimit:TokensPerPeriod"] = "1",
        ["Gateway:RateLimit:Period"] = "00:01:00",
    });
}

/// <summary>The gateway limits partner cities by the city the exchange verified, never by the header a caller claims.</summary>
public sealed class RateLimitTests(TightLimitPlatform platform) : IClassFixture<TightLimitPlatform>
{
    [Fact]
    public async Task Forged_requests_in_Suzhous_name_do_not_spend_its_allowance_and_each_city_has_its_own()
    {
        // Two forgeries claiming Suzhou: refused by the exchange, charged to the caller's address.
        for (var i = 0; i < 2; i++)
        {
            using var forged = await platform.Partner("320500", "demo-1", "guessed-secret").SendAsync(HttpMethod.Get, "/api/partner/v1/matters");
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        }

        // Suzhou still has its three requests, then is limited.
        var suzhou = platform.Partner("320500");
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await suzhou.SendAsync(HttpMethod.Get, "/api/partner/v1/matters");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
        using var limited = await suzhou.SendAsync(HttpMethod.Get, "/api/partner/v1/matters");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.Contains("Retry-After"));
        Assert.Equal("rate-limited", (await PartnerClient.ReadAsync(limited)).GetProperty("code").GetString());

        // Jiaxing is not affected by Suzhou's limit.
        using var jiaxing = await platform.Partner("330400").SendAsync(HttpMethod.Get, "/api/partner/v1/matters");
        Assert.Equal(HttpStatusCode.OK, jiaxing.StatusCode);
    }
}
