using Microsoft.IdentityModel.Tokens;
using Songjiang.Testing;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Songjiang.Identity.Tests;

/// <summary>
/// A data folder that ran the demo profile, started again with the profile off and production clients configured:
/// what the demo run handed out (its users' passwords, a signed-in browser, a refresh token) and its well-known client
/// secrets must all stop working.
/// </summary>
public sealed class LeftDemoProfileFixture : IAsyncLifetime
{
    public const string ServicesSecret = "configured-services-secret";
    public const string JiaxingSecret = "configured-jiaxing-secret";

    private readonly TemporaryDataDirectory _data = new();

    public static readonly string[] PartnerCities = ["330400", "330100", "330700", "320500", "330500", "341800", "340200", "340100"];

    /// <summary>The platform after the restart, demo profile off.</summary>
    public PlatformFixture Production { get; private set; } = null!;

    /// <summary>Cookies of a browser in which <c>admin</c> signed in during the demo run.</summary>
    public CookieContainer AdminBrowserCookies { get; } = new();

    /// <summary>A refresh token <c>admin</c> obtained during the demo run.</summary>
    public string AdminRefreshToken { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        await using (var demo = new DemoRun(_data.Path, _data.Ports))
        {
            await demo.InitializeAsync();
            using var browser = new Browser(demo.Host.GatewayUri, AdminBrowserCookies);
            using var signedIn = await browser.SignInAsync("admin", PlatformFixture.DemoPassword);
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

            using var refresh = await PlatformFixture.RequestTokenAsync(demo.Gateway,
                ("grant_type", "password"), ("client_id", "songjiang-cli"), ("username", "admin"),
                ("password", PlatformFixture.DemoPassword), ("scope", "openid offline_access api"));
            AdminRefreshToken = (await PlatformFixture.JsonOf(refresh)).GetProperty("refresh_token").GetString()!;
        }
        Production = new ProductionRun(_data.Path, _data.Ports);
        await Production.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Production.DisposeAsync();
        await _data.DisposeAsync();
    }

    private sealed class DemoRun(string data, int[] ports) : PlatformFixture(data, ownsDataDirectory: false, ports);

    private sealed class ProductionRun(string data, int[] ports) : PlatformFixture(data, ownsDataDirectory: false, ports)
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [
            new("Identity:DemoProfile", "false"),
            new("ServiceAccount:ClientSecret", ServicesSecret),
            new("Identity:Clients:0:ClientId", "songjiang-services"),
            new("Identity:Clients:0:DisplayName", "Platform services (service account)"),
            new("Identity:Clients:0:Secret", ServicesSecret),
            new("Identity:Clients:0:GrantTypes:0", "client_credentials"),
            new("Identity:Clients:0:Scopes:0", "api"),
            new("Identity:Clients:0:Roles:0", "service"),
            new("Identity:Clients:0:CityCode", "310117"),
            new("Identity:Clients:1:ClientId", "g60-330400"),
            new("Identity:Clients:1:DisplayName", "嘉兴市 G60 partner system"),
            new("Identity:Clients:1:Secret", JiaxingSecret),
            new("Identity:Clients:1:GrantTypes:0", "client_credentials"),
            new("Identity:Clients:1:Scopes:0", "api"),
            new("Identity:Clients:1:Roles:0", "partner-city"),
            new("Identity:Clients:1:CityCode", "330400"),
            new("Identity:Clients:2:ClientId", "songjiang-portal"),
            new("Identity:Clients:2:DisplayName", "Songjiang web portal"),
            new("Identity:Clients:2:GrantTypes:0", "authorization_code"),
            new("Identity:Clients:2:GrantTypes:1", "refresh_token"),
            new("Identity:Clients:2:Scopes:0", "openid"),
            new("Identity:Clients:2:Scopes:1", "profile"),
            new("Identity:Clients:2:Scopes:2", "api"),
            new("Identity:Clients:2:RedirectUris:0", Browser.PortalRedirectUri),
        ];
    }
}

public sealed class LeftDemoProfileTests(LeftDemoProfileFixture fixture) : IClassFixture<LeftDemoProfileFixture>
{
    private PlatformFixture Platform => fixture.Production;

    [Theory]
    [InlineData("admin")]
    [InlineData("ent-zhisuan")]
    [InlineData("scj-approver")]
    public async Task Demo_users_cannot_sign_in_on_the_login_page(string userName)
    {
        using var browser = new Browser(Platform.Host.GatewayUri);

        using var posted = await browser.SignInAsync(userName, PlatformFixture.DemoPassword);

        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Null(posted.Headers.Location);
    }

    [Fact]
    public async Task A_browser_signed_in_as_admin_during_the_demo_gets_no_authorization_code()
    {
        using var browser = new Browser(Platform.Host.GatewayUri, fixture.AdminBrowserCookies);
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32)))));

        using var response = await browser.AuthorizeAsync(challenge);

        // Sent back to the login page, not to the client with a code.
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith("/account/login", location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refresh_token_issued_to_admin_during_the_demo_is_refused()
    {
        using var response = await PlatformFixture.RequestTokenAsync(Platform.Gateway,
            ("grant_type", "refresh_token"), ("client_id", "songjiang-cli"), ("refresh_token", fixture.AdminRefreshToken));

        Assert.False(response.IsSuccessStatusCode);
        Assert.True((int)response.StatusCode < 500);
    }

    [Fact]
    public async Task The_password_grant_is_refused_for_admin()
    {
        using var response = await PlatformFixture.RequestTokenAsync(Platform.Gateway,
            ("grant_type", "password"), ("client_id", "songjiang-cli"), ("username", "admin"),
            ("password", PlatformFixture.DemoPassword), ("scope", "api"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_service_account_takes_its_secret_from_configuration_and_the_demo_secret_is_refused()
    {
        using var demo = await ClientCredentialsAsync("songjiang-services", "demo-services-secret");
        using var configured = await ClientCredentialsAsync("songjiang-services", LeftDemoProfileFixture.ServicesSecret);

        Assert.Equal(HttpStatusCode.Unauthorized, demo.StatusCode);
        Assert.Equal("invalid_client", (await PlatformFixture.JsonOf(demo)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, configured.StatusCode);
    }

    [Fact]
    public async Task No_partner_city_demo_secret_gets_a_token_and_the_configured_city_does()
    {
        foreach (var city in LeftDemoProfileFixture.PartnerCities)
        {
            using var demo = await ClientCredentialsAsync($"g60-{city}", $"demo-g60-{city}-secret");
            Assert.True(demo.StatusCode == HttpStatusCode.Unauthorized, $"g60-{city}'s demo secret must be refused, got {(int)demo.StatusCode}");
        }
        using var configured = await ClientCredentialsAsync("g60-330400", LeftDemoProfileFixture.JiaxingSecret);
        var token = await PlatformFixture.AccessTokenOf(configured);
        using var about = await Platform.GetAsync("/api/exchange/about", token);
        Assert.Equal(HttpStatusCode.OK, about.StatusCode);
    }

    private Task<HttpResponseMessage> ClientCredentialsAsync(string clientId, string secret) =>
        PlatformFixture.RequestTokenAsync(Platform.Gateway,
            ("grant_type", "client_credentials"), ("client_id", clientId), ("client_secret", secret), ("scope", "api"));
}
