using OpenIddict.Abstractions;
using Songjiang.Testing;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Songjiang.Gateway.Tests;

public sealed class GatewaySecurityTests(GatewayFixture platform) : IClassFixture<GatewayFixture>
{
    [Theory]
    [InlineData("/api/catalog/about")]
    [InlineData("/api/cases/about")]
    [InlineData("/api/exchange/about")]
    [InlineData("/echo/anything")]
    public async Task Protected_route_without_token_is_401_problem(string path)
    {
        using var response = await platform.GetAsync(path, token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task Token_without_the_api_audience_is_401()
    {
        // Without the "api" scope the token is not issued for the platform API's audience.
        var token = await platform.UserTokenAsync("ent-zhisuan", scope: "openid profile");

        using var response = await platform.GetAsync("/api/catalog/about", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Expired_token_is_401()
    {
        // A client of this test whose tokens live five seconds (JWT times are whole seconds; slack for a slow machine).
        await using (var scope = platform.Host.Application("identity").Services.CreateAsyncScope())
        {
            var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            var descriptor = new OpenIddictApplicationDescriptor
            {
                ClientId = "short-lived",
                ClientSecret = "short-lived-secret",
                ClientType = ClientTypes.Confidential,
                Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials, Permissions.Prefixes.Scope + "api" },
            };
            descriptor.Settings[Settings.TokenLifetimes.AccessToken] = TimeSpan.FromSeconds(5).ToString("c", CultureInfo.InvariantCulture);
            await applications.CreateAsync(descriptor);
        }
        using var tokenResponse = await PlatformFixture.RequestTokenAsync(platform.Gateway,
            ("grant_type", "client_credentials"), ("client_id", "short-lived"), ("client_secret", "short-lived-secret"), ("scope", "api"));
        var token = await PlatformFixture.AccessTokenOf(tokenResponse);

        using (var fresh = await platform.GetAsync("/api/catalog/about", token))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }
        await Task.Delay(TimeSpan.FromSeconds(6.5));
        using var expired = await platform.GetAsync("/api/catalog/about", token);

        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Contains("expired", expired.Headers.WwwAuthenticate.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Token_with_a_forged_signature_is_401()
    {
        var token = await platform.UserTokenAsync("ent-zhisuan");
        var parts = token.Split('.');
        // Claim to be the other enterprise, keeping the original signature.
        var payload = System.Text.Encoding.UTF8.GetString(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(parts[1]))
            .Replace("91310117MA1J3GKL0Q", "91310117MA1H8BXR2W", StringComparison.Ordinal);
        var forged = $"{parts[0]}.{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(payload)}.{parts[2]}";

        using var response = await platform.GetAsync("/api/catalog/about", forged);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Garbage_bearer_token_is_401()
    {
        using var response = await platform.GetAsync("/api/catalog/about", "not-a-jwt");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Spoofed_identity_and_internal_headers_are_stripped_before_forwarding()
    {
        var token = await platform.UserTokenAsync("ent-zhisuan");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/headers");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        string[] spoofed = ["X-User-Id", "X-Enterprise-Uscc", "X-Uscc", "X-Department", "X-Roles", "X-City-Code",
            "X-Client-Id", "X-Internal-Caller", "X-Auth-Request-User", "X-Forwarded-User", "Remote-User"];
        foreach (var header in spoofed)
        {
            request.Headers.Add(header, "91310117MA1H8BXR2W");
        }
        request.Headers.Add("X-Request-Purpose", "kept");

        using var response = await platform.Gateway.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echoed = (await PlatformFixture.JsonOf(response)).GetProperty("headers");
        foreach (var header in spoofed)
        {
            Assert.False(echoed.TryGetProperty(header.ToLowerInvariant(), out _), $"{header} reached the service");
        }
        Assert.Equal("kept", echoed.GetProperty("x-request-purpose").GetString());
        Assert.StartsWith("Bearer ", echoed.GetProperty("authorization").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversized_body_is_413_problem_and_not_forwarded()
    {
        var token = await platform.UserTokenAsync("ent-zhisuan");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/echo/upload")
        {
            Content = new ByteArrayContent(new byte[4096]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await platform.Gateway.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Body_within_the_route_limit_is_forwarded()
    {
        var token = await platform.UserTokenAsync("ent-zhisuan");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/echo/upload") { Content = new ByteArrayContent(new byte[512]) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await platform.Gateway.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(512, (await PlatformFixture.JsonOf(response)).GetProperty("bodyLength").GetInt32());
    }

    [Fact]
    public async Task Oversized_streamed_body_without_length_is_refused()
    {
        var token = await platform.UserTokenAsync("ent-zhisuan");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/echo/upload")
        {
            Content = new StreamContent(new UnknownLengthStream(new byte[64 * 1024])),
        };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await platform.Gateway.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    /// <summary>A stream that hides its length so the client must send it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
