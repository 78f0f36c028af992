using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Correlation;
using Songjiang.ServiceDefaults.Health;
using Songjiang.ServiceDefaults.OpenApi;
using Songjiang.ServiceDefaults.Problems;
using System.Text.Json.Serialization;

namespace Songjiang.ServiceDefaults;

/// <summary>
/// The cross-cutting defaults every Songjiang service and the gateway share: telemetry, health, problem details,
/// correlation ids, JWT validation, OpenAPI and resilient outgoing HTTP.
/// </summary>
public static class Extensions
{
    /// <summary>Activity sources whose spans every service exports (the event bus and workflow runtime among them).</summary>
    public static readonly string[] PlatformActivitySources = ["Songjiang.*"];

    /// <summary>Adds the platform defaults to a service.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.AddPlatformProblemDetails();
        builder.AddPlatformAuthentication();
        builder.AddPlatformOpenApi();

        builder.Services.Configure<JsonOptions>(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            options.SerializerOptions.Converters.Add(new Time.ChinaTimeJsonConverter());
            options.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            BoundedDates.AddTo(options.SerializerOptions);
        });

        // Behind the gateway: take scheme, host and client address from X-Forwarded-* sent by trusted proxies
        // (loopback by default; add the cluster's proxy networks under ForwardedHeaders in production).
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            options.AllowedHosts = builder.Configuration.GetSection("ForwardedHeaders:AllowedHosts").Get<List<string>>() ?? [];
        });

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddServiceDiscovery();
        builder.Services.AddTransient<CorrelationIdDelegatingHandler>();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddHttpMessageHandler<CorrelationIdDelegatingHandler>();
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    /// <summary>Logs, traces and metrics through OpenTelemetry; OTLP export only when its endpoint is configured.</summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });
        builder.Logging.AddSimpleConsole(console =>
        {
            console.IncludeScopes = true;
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        });

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Songjiang.*")
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .AddSource(PlatformActivitySources)
                .AddAspNetCoreInstrumentation(aspnet =>
                    aspnet.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
        return builder;
    }

    /// <summary>A liveness check of the process itself; services add readiness checks for their dependencies.</summary>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [HealthEndpoints.LiveTag]);
        return builder;
    }

    /// <summary>
    /// Adds the shared middleware (exception handling, correlation, authentication) and maps
    /// <c>/health/live</c>, <c>/health/ready</c>, <c>/openapi/v1.json</c> and the Prometheus <c>/metrics</c>.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // First, so that nothing below it can let an exception reach the host (or, in Development, the exception
        // page with its stack trace): every failure leaves as problem details.
        app.UseExceptionHandler();
        app.UseForwardedHeaders();
        app.UseMiddleware<CorrelationIdMiddleware>();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRequestTextGuard();

        app.MapHealthEndpoints();
        app.MapOpenApi().AllowAnonymous();
        // Scraped by the cluster's Prometheus on the service's own port. Off where the port is public (the gateway):
        // there OTLP export carries the metrics.
        if (app.Configuration.GetValue("Telemetry:PrometheusEndpoint", defaultValue: true))
        {
            app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        }
        return app;
    }
}
