using Microsoft.AspNetCore.HttpOverrides;
using System.Net;

namespace Songjiang.Gateway.Extensions;

/// <summary>
/// What the gateway guarantees on every response and which forwarded headers it believes: security headers, a strict
/// content security policy on API and document routes, HSTS over HTTPS, and <c>X-Forwarded-*</c> only from the
/// proxies listed under <c>Gateway:TrustedProxies</c>.
/// </summary>
public static class EdgeSecurity
{
    /// <summary>
    /// The policy of API answers (JSON, problem details, tokens, documents): nothing may load, run or frame them.
    /// </summary>
    public const string ApiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>The API reference page: its own scripts and styles (inline ones included), nothing from elsewhere.</summary>
    public const string DocsContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        + "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'none'";

    /// <summary>The sign-in page: its inline style and a form posted back to itself.</summary>
    public const string SignInContentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";

    private static readonly string[] ApiPrefixes = ["/api", "/connect", "/.well-known", "/openapi", "/health"];

    /// <summary>
    /// Believe <c>X-Forwarded-For</c>/<c>-Proto</c>/<c>-Host</c> only from the configured proxies (addresses or CIDR
    /// networks). None by default: at the edge, a caller's own header would otherwise choose its address and with it
    /// its rate-limit bucket.
    /// </summary>
    public static void TrustConfiguredProxiesOnly(this IServiceCollection services, IReadOnlyList<string> trustedProxies)
    {
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            if (trustedProxies.Count == 0)
            {
                // Empty lists would mean "trust every proxy" to the middleware: switch it off instead.
                options.ForwardedHeaders = ForwardedHeaders.None;
                return;
            }
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // The obsolete list is still consulted and still holds the loopback default.
            options.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var entry in trustedProxies)
            {
                if (entry.Contains('/', StringComparison.Ordinal))
                {
                    options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(entry));
                }
                else
                {
                    options.KnownProxies.Add(IPAddress.Parse(entry));
                }
            }
        });
    }

    /// <summary>
    /// Adds the security headers to every response the gateway sends, proxied or its own — refusals of the
    /// authentication and authorization middleware included, so it goes in front of the whole pipeline.
    /// </summary>
    public static void AddSecurityHeaders(this IServiceCollection services) =>
        services.AddTransient<IStartupFilter, SecurityHeadersStartupFilter>();

    private sealed class SecurityHeadersStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseSecurityHeaders();
            next(app);
        };
    }

    // The headers are decided when the response starts: by then the forwarded headers of a trusted proxy have set the
    // scheme, so HSTS follows the scheme the caller really used.
    private static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            if (string.IsNullOrEmpty(headers.ContentSecurityPolicy) && PolicyFor(context.Request.Path) is { } policy)
            {
                headers.ContentSecurityPolicy = policy;
            }
            if (context.Request.IsHttps)
            {
                headers.StrictTransportSecurity = "max-age=31536000";
            }
            return Task.CompletedTask;
        });
        return next(context);
    });

    // Other paths (a portal at "/") bring their own policy; the gateway does not guess one for them.
    private static string? PolicyFor(PathString path)
    {
        if (path.StartsWithSegments("/docs"))
        {
            return DocsContentSecurityPolicy;
        }
        if (path.StartsWithSegments("/account"))
        {
            return SignInContentSecurityPolicy;
        }
        return ApiPrefixes.Any(prefix => path.StartsWithSegments(prefix)) ? ApiContentSecurityPolicy : null;
    }
}
