using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using Songjiang.Identity.Api.Accounts;
using Songjiang.ServiceDefaults.Authentication;
using System.Collections.Immutable;
using System.Security.Claims;
using System.Text.Json;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Songjiang.Identity.Api.Connect;

/// <summary>
/// Builds the principal a token is issued for: who the caller is and the claims every service authorises on
/// (enterprise USCC, department, roles, city), each sent only to the tokens that need it.
/// </summary>
public sealed class PrincipalFactory(IOpenIddictApplicationManager applications, IOpenIddictScopeManager scopes)
{
    /// <summary>A user signing in (password or authorization code).</summary>
    public async Task<ClaimsPrincipal> ForUserAsync(UserAccount user, ImmutableArray<string> requestedScopes, CancellationToken cancellationToken)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, user.Id.ToString())
            .SetClaim(Claims.Name, user.DisplayName)
            .SetClaim(Claims.PreferredUsername, user.UserName)
            .SetClaim(PlatformClaims.Uscc, user.Uscc)
            .SetClaim(PlatformClaims.Department, user.Department)
            .SetClaim(PlatformClaims.City, user.CityCode)
            .SetClaims(Claims.Role, [.. user.Roles])
            .SetClaims(PlatformClaims.ActsFor, [.. user.ActsFor]);
        if (user.EnterpriseName is not null)
        {
            identity.SetClaim(PlatformClaims.EnterpriseName, user.EnterpriseName);
        }
        return await CompleteAsync(identity, requestedScopes, cancellationToken);
    }

    /// <summary>A client acting on its own behalf (client_credentials): a partner city or a platform service.</summary>
    public async Task<ClaimsPrincipal> ForClientAsync(string clientId, ImmutableArray<string> requestedScopes, CancellationToken cancellationToken)
    {
        var application = await applications.FindByClientIdAsync(clientId, cancellationToken)
            ?? throw new InvalidOperationException($"Client {clientId} vanished during the request.");
        var properties = await applications.GetPropertiesAsync(application, cancellationToken);

        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, clientId)
            .SetClaim(Claims.Name, await applications.GetDisplayNameAsync(application, cancellationToken));
        if (properties.TryGetValue(ClientDescriptors.CityCodeProperty, out var city))
        {
            identity.SetClaim(PlatformClaims.City, city.GetString());
        }
        if (properties.TryGetValue(ClientDescriptors.RolesProperty, out var roles) && roles.ValueKind == JsonValueKind.Array)
        {
            identity.SetClaims(Claims.Role, [.. roles.EnumerateArray().Select(r => r.GetString()!)]);
        }
        return await CompleteAsync(identity, requestedScopes, cancellationToken);
    }

    private async Task<ClaimsPrincipal> CompleteAsync(ClaimsIdentity identity, ImmutableArray<string> requestedScopes, CancellationToken cancellationToken)
    {
        identity.SetScopes(requestedScopes);
        var resources = new List<string>();
        await foreach (var resource in scopes.ListResourcesAsync(requestedScopes, cancellationToken))
        {
            resources.Add(resource);
        }
        identity.SetResources(resources);
        identity.SetDestinations(claim => DestinationsOf(claim, identity));
        return new ClaimsPrincipal(identity);
    }

    private static ClaimsIdentity NewIdentity() =>
        new(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);

    // Access tokens carry what services authorise on; identity tokens only what the granted scopes allow.
    private static IEnumerable<string> DestinationsOf(Claim claim, ClaimsIdentity identity)
    {
        yield return Destinations.AccessToken;
        var inIdentityToken = claim.Type switch
        {
            Claims.Subject => true,
            Claims.Name or Claims.PreferredUsername => identity.HasScope(Scopes.Profile),
            Claims.Role => identity.HasScope(Scopes.Roles),
            _ => identity.HasScope(Scopes.Profile),
        };
        if (inIdentityToken)
        {
            yield return Destinations.IdentityToken;
        }
    }
}
