using Songjiang.Identity.Api.Connect;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Songjiang.Identity.Api.Accounts;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Songjiang.Identity.Api.Features;

/// <summary>
/// The token endpoint's decisions. OpenIddict has already validated the request (client, secret, grant permission,
/// PKCE, code and refresh-token integrity); this decides who the token is for.
/// </summary>
public static class TokenApi
{
    /// <summary>Maps <c>POST /connect/token</c>.</summary>
    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/connect/token", ExchangeAsync)
            .WithName("Token")
            .WithSummary("Issues access tokens (client_credentials, authorization_code, refresh_token; password in the demo profile).")
            .WithTags("OAuth 2.0")
            .DisableAntiforgery()
            .AllowAnonymous();
        return endpoints;
    }

    private static async Task<IResult> ExchangeAsync(HttpContext context, AccountStore accounts, PrincipalFactory principals)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server request is missing.");
        var cancellationToken = context.RequestAborted;

        if (request.IsClientCredentialsGrantType())
        {
            var principal = await principals.ForClientAsync(request.ClientId!, request.GetScopes(), cancellationToken);
            return SignIn(principal);
        }

        if (request.IsPasswordGrantType())
        {
            var outcome = await accounts.SignInAsync(request.Username, request.Password, cancellationToken);
            return outcome.User is not { } user
                ? Forbid(Errors.InvalidGrant, outcome.Refusal)
                : SignIn(await principals.ForUserAsync(user, request.GetScopes(), cancellationToken));
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            // The code or refresh token carries the original principal; issue afresh from the current account so a
            // disabled user or changed roles take effect at the next refresh.
            var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            var user = await accounts.FindEnabledAsync(result.Principal?.GetClaim(Claims.Subject), cancellationToken);
            return user is null
                ? Forbid(Errors.InvalidGrant, "The account is no longer allowed to sign in.")
                : SignIn(await principals.ForUserAsync(user, result.Principal!.GetScopes(), cancellationToken));
        }

        return Forbid(Errors.UnsupportedGrantType, "The grant type is not supported.");
    }

    private static SignInHttpResult SignIn(System.Security.Claims.ClaimsPrincipal principal) =>
        TypedResults.SignIn(principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);

    private static ForbidHttpResult Forbid(string error, string description) =>
        TypedResults.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
