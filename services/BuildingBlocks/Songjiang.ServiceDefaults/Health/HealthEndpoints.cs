using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using System.Text.Json;

namespace Songjiang.ServiceDefaults.Health;

/// <summary>
/// <c>/health/live</c> says the process runs; <c>/health/ready</c> says its dependencies (database, broker) answer.
/// Both return JSON with one entry per check.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>Tag of checks that belong to liveness.</summary>
    public const string LiveTag = "live";

    /// <summary>Tag of checks that belong to readiness (real dependencies).</summary>
    public const string ReadyTag = "ready";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    /// <summary>Maps the two health endpoints, open to anonymous callers.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag),
            ResponseWriter = WriteReportAsync,
        }).AllowAnonymous();
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag) || check.Tags.Contains(LiveTag),
            ResponseWriter = WriteReportAsync,
        }).AllowAnonymous();
        return endpoints;
    }

    /// <summary>Writes a health report as JSON: overall status, duration and each check's status and description.</summary>
    public static Task WriteReportAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            durationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new
                {
                    status = entry.Value.Status.ToString(),
                    // Never the exception: its message can name hosts, ports and connection details, and these
                    // endpoints are anonymous. The failure itself is in the log.
                    description = entry.Value.Description ?? (entry.Value.Exception is null ? null : "check failed"),
                    durationMs = Math.Round(entry.Value.Duration.TotalMilliseconds, 1),
                }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonOptions));
    }
}
