using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Songjiang.ServiceDefaults.Authentication;

namespace Songjiang.Portal.Authentication;

/// <summary>
/// Sign-in for people: OpenID Connect authorization code with PKCE against the platform's identity service, a
/// server-side session behind an HttpOnly cookie, and tokens refreshed on the server. Bearer tokens still work for
/// the portal's own <c>/api/portal/about</c>.
/// </summary>
public static class PortalAuthentication
{
    /// <summary>The session cookie scheme.</summary>
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;

    /// <summary>The OpenID Connect scheme.</summary>
    public const string OidcScheme = OpenIdConnectDefaults.AuthenticationScheme;

    /// <summary>Picks the cookie for browsers and the bearer handler for API callers.</summary>
    public const string SelectorScheme = "portal";

    /// <summary>Challenges a browser with a sign-in and an API caller with a 401.</summary>
    public const string ChallengeScheme = "portal-challenge";

    /// <summary>The name of the session cookie.</summary>
    public const string CookieName = "songjiang.portal";

    /// <summary>Refresh the access token when it has less than this left.</summary>
    public static readonly TimeSpan RefreshAhead = TimeSpan.FromSeconds(60);

    /// <summary>Registers the schemes.</summary>
    public static void AddPortalAuthentication(this IHostApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(PortalOptions.SectionName).Get<PortalOptions>() ?? new PortalOptions();
        var platform = builder.Configuration.GetSection(PlatformAuthenticationOptions.SectionName).Get<PlatformAuthenticationOptions>()
            ?? new PlatformAuthenticationOptions();

        builder.Services.AddSingleton<DatabaseTicketStore>();
        builder.Services.AddSingleton<IPostConfigureOptions<CookieAuthenticationOptions>, ConfigureTicketStore>();
        builder.Services.AddSingleton<TokenRefresher>();
        builder.Services.AddHttpClient(TokenRefresher.ClientName);

        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = SelectorScheme;
                options.DefaultAuthenticateScheme = SelectorScheme;
                options.DefaultChallengeScheme = ChallengeScheme;
                options.DefaultForbidScheme = SelectorScheme;
                options.DefaultSignInScheme = CookieScheme;
                options.DefaultSignOutScheme = CookieScheme;
            })
            .AddPolicyScheme(SelectorScheme, "Cookie or bearer", policy =>
                policy.ForwardDefaultSelector = context => HasBearer(context) ? JwtBearerDefaults.AuthenticationScheme : CookieScheme)
            .AddPolicyScheme(ChallengeScheme, "Sign-in or 401", policy =>
                policy.ForwardDefaultSelector = context => HasBearer(context) || context.Request.Path.StartsWithSegments("/api")
                    ? JwtBearerDefaults.AuthenticationScheme
                    : OidcScheme)
            .AddCookie(CookieScheme, cookie =>
            {
                cookie.Cookie.Name = CookieName;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = settings.SessionLifetime;
                cookie.SlidingExpiration = true;
                cookie.AccessDeniedPath = "/access-denied";
                cookie.Events.OnValidatePrincipal = context =>
                    context.HttpContext.RequestServices.GetRequiredService<TokenRefresher>().ValidateAsync(context);
            })
            .AddOpenIdConnect(OidcScheme, oidc =>
            {
                oidc.Authority = platform.Authority;
                // Through the gateway, not the identity service's own address: the discovery document then names the
                // gateway's endpoints, which are the ones the browser can reach.
                oidc.MetadataAddress = settings.MetadataAddress ?? platform.Authority.TrimEnd('/') + "/.well-known/openid-configuration";
                oidc.RequireHttpsMetadata = platform.RequireHttpsMetadata;
                oidc.ClientId = settings.ClientId;
                oidc.ResponseType = OpenIdConnectResponseType.Code;
                oidc.ResponseMode = OpenIdConnectResponseMode.Query;
                oidc.UsePkce = true;
                oidc.SaveTokens = true;
                oidc.GetClaimsFromUserInfoEndpoint = true;
                oidc.MapInboundClaims = false;
                oidc.CallbackPath = "/signin-oidc";
                oidc.SignedOutCallbackPath = "/signout-callback-oidc";
                oidc.SignedOutRedirectUri = "/";
                oidc.Scope.Clear();
                foreach (var scope in new[] { "openid", "profile", "roles", "offline_access", "api" })
                {
                    oidc.Scope.Add(scope);
                }
                oidc.ClaimActions.MapUniqueJsonKey(PlatformClaims.Uscc, PlatformClaims.Uscc);
                oidc.ClaimActions.MapUniqueJsonKey(PlatformClaims.EnterpriseName, PlatformClaims.EnterpriseName);
                oidc.ClaimActions.MapUniqueJsonKey(PlatformClaims.Department, PlatformClaims.Department);
                oidc.ClaimActions.MapUniqueJsonKey(PlatformClaims.City, PlatformClaims.City);
                oidc.ClaimActions.MapJsonKey(PlatformClaims.Role, PlatformClaims.Role);
                oidc.TokenValidationParameters.NameClaimType = PlatformClaims.Name;
                oidc.TokenValidationParameters.RoleClaimType = PlatformClaims.Role;
                // The identity service is reached through the same gateway, so the query-mode callback is a
                // same-site navigation: Lax correlation and nonce cookies work on plain HTTP as well.
                oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
                oidc.NonceCookie.SameSite = SameSiteMode.Lax;
                oidc.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                oidc.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                oidc.Events.OnRedirectToIdentityProvider = context =>
                {
                    context.ProtocolMessage.UiLocales = "zh-CN";
                    return Task.CompletedTask;
                };
            });
        builder.Services.AddOptions<OpenIdConnectOptions>(OidcScheme)
            .Configure<IHttpClientFactory>((oidc, clients) => oidc.Backchannel = clients.CreateClient(TokenRefresher.ClientName));
    }

    /// <summary>Whether the request carries a bearer token (an API caller, not a browser).</summary>
    public static bool HasBearer(HttpContext context) =>
        context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    /// <summary>When the stored access token expires.</summary>
    public static DateTimeOffset? AccessTokenExpiry(AuthenticationProperties properties) =>
        DateTimeOffset.TryParse(properties.GetTokenValue("expires_at"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            ? at
            : null;

    /// <summary>Whether the user has the role.</summary>
    public static bool Has(this ClaimsPrincipal user, string role) => user.IsInRole(role);
}
