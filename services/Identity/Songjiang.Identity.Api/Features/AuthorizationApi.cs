using Songjiang.Identity.Api.Connect;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Primitives;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Songjiang.Identity.Api.Accounts;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Songjiang.Identity.Api.Features;

/// <summary>
/// The interactive endpoints of the authorization code flow (with PKCE) for the web portal: authorize, user info
/// and sign-out. Sign-in itself happens on the login page under <c>/account</c>.
/// </summary>
public static class AuthorizationApi
{
    /// <summary>Maps <c>/connect/authorize</c>, <c>/connect/userinfo</c> and <c>/connect/endsession</c>.</summary>
    public static IEndpointRouteBuilder MapAuthorizationApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/connect").WithTags("OpenID Connect").AllowAnonymous().DisableAntiforgery();
        group.MapMethods("/authorize", [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync)
            .WithName("Authorize")
            .WithSummary("Authorization endpoint of the authorization code flow; sends unauthenticated users to the login page.");
        group.MapMethods("/userinfo", [HttpMethods.Get, HttpMethods.Post], UserInfoAsync)
            .WithName("UserInfo")
            .WithSummary("Claims about the signed-in user, as the access token's scopes allow.");
        group.MapMethods("/endsession", [HttpMethods.Get, HttpMethods.Post], (Func<HttpContext, Task<IResult>>)EndSessionAsync)
            .WithName("EndSession")
            .WithSummary("Signs the user out and returns to the client's registered post-logout address.");
        return endpoints;
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext context, AccountStore accounts, PrincipalFactory principals)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server request is missing.");

        var session = await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        var user = session.Succeeded
            ? await accounts.FindEnabledAsync(session.Principal.GetClaim(Claims.Subject), context.RequestAborted)
            : null;

        if (user is null || request.HasPromptValue(PromptValues.Login))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Results.Forbid(ErrorProperties(Errors.LoginRequired, "The user is not signed in."),
                    [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            }
            // Come back to this very request after signing in.
            var parameters = context.Request.HasFormContentType
                ? context.Request.Form.Where(p => p.Key != Parameters.Prompt).ToList()
                : context.Request.Query.Where(p => p.Key != Parameters.Prompt).ToList();
            return Results.Challenge(
                new AuthenticationProperties { RedirectUri = context.Request.PathBase + context.Request.Path + QueryString.Create(parameters) },
                [CookieAuthenticationDefaults.AuthenticationScheme]);
        }

        var principal = await principals.ForUserAsync(user, request.GetScopes(), context.RequestAborted);
        return Results.SignIn(principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> UserInfoAsync(HttpContext context, AccountStore accounts)
    {
        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var principal = result.Principal;
        var user = await accounts.FindEnabledAsync(principal?.GetClaim(Claims.Subject), context.RequestAborted);
        if (principal is null || user is null)
        {
            return Results.Challenge(ErrorProperties(Errors.InvalidToken, "The token's account no longer exists."),
                [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        var claims = new Dictionary<string, object?>(StringComparer.Ordinal) { [Claims.Subject] = user.Id.ToString() };
        if (principal.HasScope(Scopes.Profile))
        {
            claims[Claims.Name] = user.DisplayName;
            claims[Claims.PreferredUsername] = user.UserName;
            claims["uscc"] = user.Uscc;
            claims["enterprise_name"] = user.EnterpriseName;
            claims["department"] = user.Department;
            claims["city"] = user.CityCode;
        }
        if (principal.HasScope(Scopes.Roles))
        {
            claims[Claims.Role] = user.Roles;
        }
        return Results.Ok(claims.Where(c => c.Value is not null).ToDictionary());
    }

    private static async Task<IResult> EndSessionAsync(HttpContext context)
    {
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" },
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static AuthenticationProperties ErrorProperties(string error, string description) =>
        new(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        });
}
