using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace Songjiang.Portal.Authentication;

/// <summary><c>/auth/login</c> starts a sign-in; <c>POST /auth/logout</c> ends the portal session and the identity session.</summary>
public static class SignInEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapSignInEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var auth = endpoints.MapGroup("/auth").ExcludeFromDescription();
        auth.MapGet("/login", (string? returnUrl) => TypedResults.Challenge(
                new AuthenticationProperties { RedirectUri = LocalOrHome(returnUrl) }, [PortalAuthentication.OidcScheme]))
            .AllowAnonymous();
        // A form post with the antiforgery token (checked by the antiforgery middleware): a link cannot sign anyone out.
        auth.MapPost("/logout", ([FromForm] string? returnUrl) => TypedResults.SignOut(
                new AuthenticationProperties { RedirectUri = "/" }, [PortalAuthentication.CookieScheme, PortalAuthentication.OidcScheme]))
            .RequireAuthorization();
        return endpoints;
    }

    private static string LocalOrHome(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/";
}
