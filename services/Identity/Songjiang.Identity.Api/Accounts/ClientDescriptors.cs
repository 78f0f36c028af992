using OpenIddict.Abstractions;
using Songjiang.Identity.Api.Extensions;
using System.Text.Json;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Songjiang.Identity.Api.Accounts;

/// <summary>Turns a client definition into OpenIddict's application record, with exactly the permissions it needs.</summary>
public static class ClientDescriptors
{
    /// <summary>Property of the application record holding the partner city code.</summary>
    public const string CityCodeProperty = "city_code";

    /// <summary>Property of the application record holding the roles a client has on its own behalf.</summary>
    public const string RolesProperty = "roles";

    /// <summary>Creates the descriptor.</summary>
    /// <param name="client">The client as configured or seeded.</param>
    /// <param name="issuer">
    /// The public address relative redirect URIs are resolved against (<c>/signin-oidc</c> → the gateway's
    /// <c>/signin-oidc</c>), so that a client served through the gateway follows the gateway's address.
    /// </param>
    public static OpenIddictApplicationDescriptor Create(ClientDefinition client, Uri? issuer = null)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = client.ClientId,
            ClientSecret = client.Secret,
            DisplayName = client.DisplayName,
            ClientType = string.IsNullOrEmpty(client.Secret) ? ClientTypes.Public : ClientTypes.Confidential,
            ConsentType = ConsentTypes.Implicit,
        };
        descriptor.Permissions.Add(Permissions.Endpoints.Token);

        foreach (var grant in client.GrantTypes)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.GrantType + grant);
            if (grant == GrantTypes.AuthorizationCode)
            {
                descriptor.Permissions.Add(Permissions.Endpoints.Authorization);
                descriptor.Permissions.Add(Permissions.Endpoints.EndSession);
                descriptor.Permissions.Add(Permissions.ResponseTypes.Code);
                // Public clients cannot keep a secret: the code is bound to the client by PKCE (RFC 7636).
                descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
            }
        }
        foreach (var scope in client.Scopes.Where(s => s != Scopes.OpenId))
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
        }
        foreach (var uri in client.RedirectUris)
        {
            descriptor.RedirectUris.Add(Resolve(uri, issuer));
        }
        foreach (var uri in client.PostLogoutRedirectUris)
        {
            descriptor.PostLogoutRedirectUris.Add(Resolve(uri, issuer));
        }
        if (client.CityCode is not null)
        {
            descriptor.Properties[CityCodeProperty] = JsonSerializer.SerializeToElement(client.CityCode);
        }
        if (client.Roles.Count > 0)
        {
            descriptor.Properties[RolesProperty] = JsonSerializer.SerializeToElement(client.Roles);
        }
        return descriptor;
    }

    private static Uri Resolve(string uri, Uri? issuer) =>
        uri.StartsWith('/') && issuer is not null ? new Uri(issuer, uri) : new Uri(uri);
}
