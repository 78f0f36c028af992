using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace Songjiang.Portal.Authentication;

/// <summary>
/// Renews the access token on the server before it expires, with the refresh token kept in the session; when the
/// identity service refuses, the session ends and the user signs in again.
/// </summary>
public sealed class TokenRefresher(
    IHttpClientFactory clients, IOptionsMonitor<OpenIdConnectOptions> oidcOptions, TimeProvider clock, ILogger<TokenRefresher> logger)
{
    /// <summary>The HTTP client towards the identity service.</summary>
    public const string ClientName = "portal-identity";

    /// <summary>Cookie validation: refreshes when the access token is about to expire.</summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var expiry = PortalAuthentication.AccessTokenExpiry(context.Properties);
        if (expiry is null || expiry.Value - clock.GetUtcNow() > PortalAuthentication.RefreshAhead)
        {
            return;
        }
        var refreshToken = context.Properties.GetTokenValue("refresh_token");
        var refreshed = refreshToken is null ? null : await RefreshAsync(refreshToken, context.HttpContext.RequestAborted);
        if (refreshed is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(PortalAuthentication.CookieScheme);
            return;
        }
        context.Properties.UpdateTokenValue("access_token", refreshed.AccessToken);
        if (refreshed.RefreshToken is not null)
        {
            context.Properties.UpdateTokenValue("refresh_token", refreshed.RefreshToken);
        }
        context.Properties.UpdateTokenValue("expires_at",
            clock.GetUtcNow().AddSeconds(refreshed.ExpiresIn).ToString("o", CultureInfo.InvariantCulture));
        context.ShouldRenew = true;
    }

    private async Task<Refreshed?> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var oidc = oidcOptions.Get(PortalAuthentication.OidcScheme);
        if (oidc.ConfigurationManager is null)
        {
            return null;
        }
        var configuration = await oidc.ConfigurationManager.GetConfigurationAsync(cancellationToken);
        using var client = clients.CreateClient(ClientName);
        using var response = await client.PostAsync(configuration.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = oidc.ClientId!,
            ["refresh_token"] = refreshToken,
        }), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            logger.LogInformation("The identity service refused to refresh a session ({Status}); it ends", (int)response.StatusCode);
            return null;
        }
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var root = body.RootElement;
        return new Refreshed(
            root.GetProperty("access_token").GetString()!,
            root.TryGetProperty("refresh_token", out var rotated) ? rotated.GetString() : null,
            root.TryGetProperty("expires_in", out var expiresIn) ? expiresIn.GetInt32() : 300);
    }

    private sealed record Refreshed(string AccessToken, string? RefreshToken, int ExpiresIn);
}
