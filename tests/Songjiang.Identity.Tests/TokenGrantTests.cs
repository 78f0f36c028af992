using Songjiang.Testing;
using System.Net;
using System.Text.Json;

namespace Songjiang.Identity.Tests;

public sealed class TokenGrantTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    [Fact]
    public async Task Discovery_document_and_keys_are_published_through_the_gateway()
    {
        using var response = await platform.Gateway.GetAsync("/.well-known/openid-configuration");
        var discovery = await PlatformFixture.JsonOf(response);

        Assert.Equal(platform.Host.GatewayUri.ToString(), discovery.GetProperty("issuer").GetString());
        var grants = discovery.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString()).ToList();
        Assert.Contains("client_credentials", grants);
        Assert.Contains("authorization_code", grants);
        Assert.Contains("refresh_token", grants);
        Assert.Contains("S256", discovery.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(m => m.GetString()));

        var jwksUri = new Uri(discovery.GetProperty("jwks_uri").GetString()!);
        Assert.Equal(platform.Host.GatewayUri.Authority, jwksUri.Authority);
        using var keysResponse = await platform.Gateway.GetAsync(jwksUri.PathAndQuery);
        var key = (await PlatformFixture.JsonOf(keysResponse)).GetProperty("keys").EnumerateArray().Single();
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.False(string.IsNullOrEmpty(key.GetProperty("kid").GetString()));
    }

    [Fact]
    public async Task Partner_city_client_credentials_token_is_accepted_at_the_gateway_with_its_city()
    {
        var token = await platform.CityTokenAsync("330400");

        using var response = await platform.GetAsync("/api/exchange/about", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var caller = (await PlatformFixture.JsonOf(response)).GetProperty("caller");
        Assert.Equal("330400", caller.GetProperty("city").GetString());
        Assert.Equal("g60-330400", caller.GetProperty("clientId").GetString());
        Assert.Equal(["partner-city"], caller.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Every_g60_partner_city_has_a_client()
    {
        foreach (var city in Songjiang.SharedKernel.G60Cities.All.Skip(1))
        {
            var token = await platform.CityTokenAsync(city.Code);
            Assert.False(string.IsNullOrEmpty(token));
        }
    }

    [Fact]
    public async Task Client_credentials_with_a_wrong_secret_is_refused()
    {
        using var response = await PlatformFixture.RequestTokenAsync(platform.Gateway,
            ("grant_type", "client_credentials"), ("client_id", "g60-330400"), ("client_secret", "guess"), ("scope", "api"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await PlatformFixture.JsonOf(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Password_grant_token_carries_the_enterprise_and_is_accepted_at_the_gateway()
    {
        var token = await platform.UserTokenAsync("ent-g60bio");

        using var response = await platform.GetAsync("/api/enterprises/about", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var caller = (await PlatformFixture.JsonOf(response)).GetProperty("caller");
        Assert.Equal("91310117MA1H8BXR2W", caller.GetProperty("uscc").GetString());
        Assert.Equal(["enterprise"], caller.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Theory]
    [InlineData("scj-clerk", "market-regulation", "window-clerk")]
    [InlineData("tax-reviewer", "tax", "reviewer")]
    [InlineData("hr-approver", "human-resources", "approver")]
    public async Task Caseworker_token_carries_department_and_role(string user, string department, string role)
    {
        var token = await platform.UserTokenAsync(user);

        using var response = await platform.GetAsync("/api/cases/about", token);

        var caller = (await PlatformFixture.JsonOf(response)).GetProperty("caller");
        Assert.Equal(department, caller.GetProperty("department").GetString());
        Assert.Contains(role, caller.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.False(caller.TryGetProperty("uscc", out var uscc) && uscc.ValueKind == JsonValueKind.String);
    }

    [Fact]
    public async Task Password_grant_with_a_wrong_password_is_invalid_grant()
    {
        using var response = await PlatformFixture.RequestTokenAsync(platform.Gateway,
            ("grant_type", "password"), ("client_id", "songjiang-cli"), ("username", "ent-zhisuan"),
            ("password", "wrong"), ("scope", "api"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", (await PlatformFixture.JsonOf(response)).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("/connect/token", "grant_type=password&client_id=songjiang-cli&username=%00&password=x")]
    [InlineData("/connect/token", "grant_type=%00")]
    [InlineData("/connect/authorize", "client_id=songjiang-portal&response_type=code&state=%00")]
    public async Task A_form_that_cannot_be_decoded_is_refused_as_a_problem_naming_the_form_not_a_500(string path, string form)
    {
        using var content = new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");

        using var response = await platform.Gateway.PostAsync(path, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await PlatformFixture.JsonOf(response)).GetProperty("errors").TryGetProperty("form", out _));
    }

    [Fact]
    public async Task Refresh_token_yields_a_new_access_token()
    {
        using var first = await PlatformFixture.RequestTokenAsync(platform.Gateway,
            ("grant_type", "password"), ("client_id", "songjiang-cli"), ("username", "admin"),
            ("password", PlatformFixture.DemoPassword), ("scope", "openid offline_access api"));
        var refreshToken = (await PlatformFixture.JsonOf(first)).GetProperty("refresh_token").GetString()!;

        using var refreshed = await PlatformFixture.RequestTokenAsync(platform.Gateway,
            ("grant_type", "refresh_token"), ("client_id", "songjiang-cli"), ("refresh_token", refreshToken));
        var token = await PlatformFixture.AccessTokenOf(refreshed);

        using var response = await platform.GetAsync("/api/catalog/about", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("admin", (await PlatformFixture.JsonOf(response)).GetProperty("caller").GetProperty("roles")
            .EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Unknown_grant_type_is_refused()
    {
        using var response = await PlatformFixture.RequestTokenAsync(platform.Gateway,
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), ("client_id", "songjiang-cli"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unsupported_grant_type", (await PlatformFixture.JsonOf(response)).GetProperty("error").GetString());
    }
}
