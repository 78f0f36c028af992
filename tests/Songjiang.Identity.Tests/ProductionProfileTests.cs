using Songjiang.Testing;
using System.Net;

namespace Songjiang.Identity.Tests;

/// <summary>The token service with the demo profile off, as in production: clients come from configuration only.</summary>
public sealed class ProductionProfileFixture : PlatformFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Identity:DemoProfile", "false"),
        new("Identity:Clients:0:ClientId", "g60-330400"),
        new("Identity:Clients:0:DisplayName", "嘉兴市 G60 partner system"),
        new("Identity:Clients:0:Secret", "configured-secret-for-jiaxing"),
        new("Identity:Clients:0:GrantTypes:0", "client_credentials"),
        new("Identity:Clients:0:Scopes:0", "api"),
        new("Identity:Clients:0:Roles:0", "partner-city"),
        new("Identity:Clients:0:CityCode", "330400"),
    ];
}

public sealed class ProductionProfileTests(ProductionProfileFixture platform) : IClassFixture<ProductionProfileFixture>
{
    [Fact]
    public async Task Password_grant_is_refused_when_the_demo_profile_is_off()
    {
        using var response = await PlatformFixture.RequestTokenAsync(platform.Gateway,
            ("grant_type", "password"), ("client_id", "songjiang-cli"), ("username", "admin"),
            ("password", PlatformFixture.DemoPassword), ("scope", "api"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unsupported_grant_type", (await PlatformFixture.JsonOf(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Discovery_does_not_advertise_the_password_grant()
    {
        using var response = await platform.Gateway.GetAsync("/.well-known/openid-configuration");

        var grants = (await PlatformFixture.JsonOf(response)).GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString());
        Assert.DoesNotContain("password", grants);
    }

    [Fact]
    public async Task Configured_client_gets_tokens_and_demo_secrets_do_not_work()
    {
        using var configured = await PlatformFixture.RequestTokenAsync(platform.Gateway,
            ("grant_type", "client_credentials"), ("client_id", "g60-330400"),
            ("client_secret", "configured-secret-for-jiaxing"), ("scope", "api"));
        var token = await PlatformFixture.AccessTokenOf(configured);
        using var accepted = await platform.GetAsync("/api/exchange/about", token);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);

        using var demo = await PlatformFixture.RequestTokenAsync(platform.Gateway,
            ("grant_type", "client_credentials"), ("client_id", "g60-340100"),
            ("client_secret", "demo-g60-340100-secret"), ("scope", "api"));
        Assert.Equal(HttpStatusCode.Unauthorized, demo.StatusCode);
    }
}
