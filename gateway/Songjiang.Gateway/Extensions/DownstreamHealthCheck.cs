using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;

namespace Songjiang.Gateway.Extensions;

/// <summary>
/// Readiness of one cluster behind the gateway: every destination the proxy would send traffic to is asked for
/// its own <c>/health/ready</c>.
/// </summary>
/// <remarks>The report is public (<c>/health</c>), so it names destinations by their id, never by address.</remarks>
public sealed class DownstreamHealthCheck(
    IProxyStateLookup proxyState, IHttpClientFactory httpClients, ILogger<DownstreamHealthCheck> logger, string clusterId) : IHealthCheck
{
    /// <summary>The HTTP client used for health probes (short timeout, no retries).</summary>
    public const string ClientName = "downstream-health";

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!proxyState.TryGetCluster(clusterId, out var cluster) || cluster.Destinations.Count == 0)
        {
            return HealthCheckResult.Unhealthy($"{clusterId} has no destinations");
        }

        using var client = httpClients.CreateClient(ClientName);
        var failures = new List<string>();
        foreach (var destination in cluster.Destinations.Values)
        {
            var address = destination.Model.Config.Address.TrimEnd('/');
            var name = $"{clusterId}/{destination.DestinationId}";
            try
            {
                using var response = await client.GetAsync($"{address}/health/ready", cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    failures.Add($"{name} answered {(int)response.StatusCode}");
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                logger.LogWarning(exception, "Health probe of {Destination} at {Address} failed", name, address);
                failures.Add($"{name} is unreachable");
            }
        }

        return failures.Count == 0
            ? HealthCheckResult.Healthy($"{clusterId}: {cluster.Destinations.Count} destination(s) ready")
            : failures.Count < cluster.Destinations.Count
                ? HealthCheckResult.Degraded($"{clusterId}: {string.Join("; ", failures)}")
                : HealthCheckResult.Unhealthy($"{clusterId}: {string.Join("; ", failures)}");
    }
}
