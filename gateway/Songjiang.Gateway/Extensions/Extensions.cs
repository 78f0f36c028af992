using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;
using Songjiang.ServiceDefaults.Health;
using System.Text;
using Yarp.ReverseProxy;

namespace Songjiang.Gateway.Extensions;

/// <summary>The gateway: YARP routes from configuration plus the edge policies every request passes.</summary>
public static class Extensions
{
    private const string ReverseProxySection = "ReverseProxy";

    /// <summary>Registers the reverse proxy, rate limiting, header stripping and downstream health checks.</summary>
    public static void AddGateway(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayOptions>()
            .BindConfiguration(GatewayOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var options = builder.Configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();

        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection(ReverseProxySection))
            .AddServiceDiscoveryDestinationResolver()
            // Kestrel reads header values as ASCII or else UTF-8; forward them the same way. HttpClient's default (ASCII
            // only) failed every request with a non-ASCII header value, which the proxy reported as a 502.
            .ConfigureHttpClient((_, handler) =>
            {
                handler.RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8;
                handler.ResponseHeaderEncodingSelector = (_, _) => Encoding.UTF8;
            })
            .AddTransforms(context =>
            {
                EdgeTransforms.StripHeaders(context, options.StrippedRequestHeaders);
                EdgeTransforms.ForwardPartnerTargetVerbatim(context);
            });

        builder.Services.AddClientRateLimiting(options.RateLimit);
        builder.Services.AddSingleton<PartnerRateLimiting>();
        builder.Services.TrustConfiguredProxiesOnly(options.TrustedProxies);
        builder.Services.AddSecurityHeaders();

        // A health probe must answer fast and report what it sees: no retries behind its back.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental but is the documented way to opt out.
        builder.Services.AddHttpClient(DownstreamHealthCheck.ClientName, client => client.Timeout = TimeSpan.FromSeconds(5))
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        var health = builder.Services.AddHealthChecks();
        foreach (var service in Services(builder.Configuration))
        {
            health.Add(new HealthCheckRegistration(
                service,
                provider => new DownstreamHealthCheck(
                    provider.GetRequiredService<IProxyStateLookup>(), provider.GetRequiredService<IHttpClientFactory>(),
                    provider.GetRequiredService<ILogger<DownstreamHealthCheck>>(), service),
                HealthStatus.Unhealthy,
                [HealthEndpoints.ReadyTag]));
        }
    }

    /// <summary>Maps the proxy, the aggregated <c>/health</c> and the API reference at <c>/docs</c>.</summary>
    public static WebApplication MapGateway(this WebApplication app)
    {
        app.UseRateLimiter();

        app.MapHealthChecks("/health", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            ResponseWriter = HealthEndpoints.WriteReportAsync,
        }).AllowAnonymous();

        var documented = Services(app.Configuration).ToList();
        app.MapScalarApiReference("/docs", scalar =>
        {
            scalar.WithTitle("Songjiang G60 一网通办 API");
            foreach (var service in documented)
            {
                scalar.AddDocument(service, service, $"/openapi/{service}.json");
            }
        }).AllowAnonymous();

        // An API path no service claims is the gateway's 404 problem, not a page of the portal, whose catch-all route
        // (order 1000) would otherwise take it; every service's own /api/<service>/ route is more specific and wins.
        app.Map("/api/{**rest}", () => TypedResults.NotFound()).AllowAnonymous().ExcludeFromDescription();

        app.MapReverseProxy(proxy =>
        {
            proxy.Use(EdgeTransforms.RejectOversizedBodies);
            proxy.Use(PartnerRateLimiting.Apply);
        });

        var gateway = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        app.Logger.LogInformation("Gateway for {Services}; rate limit {Burst} burst, {Tokens} per {Period}",
            string.Join(", ", Services(app.Configuration)), gateway.RateLimit.Burst, gateway.RateLimit.TokensPerPeriod, gateway.RateLimit.Period);
        return app;
    }

    /// <summary>The services behind the gateway: the clusters of the proxy configuration.</summary>
    public static IEnumerable<string> Services(IConfiguration configuration) =>
        configuration.GetSection($"{ReverseProxySection}:Clusters").GetChildren().Select(cluster => cluster.Key);
}
