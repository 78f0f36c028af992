using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Songjiang.Gateway.Extensions;

/// <summary>Readiness of one service behind the gateway, read from its own <c>/health/ready</c>.</summary>
public sealed class DownstreamHealthCheck(IHttpClientFactory httpClients, string service) : IHealthCheck
{
    /// <summary>The HTTP client used for health probes (short timeout, no retries).</summary>
    public const string ClientName = "downstream-health";

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var client = httpClients.CreateClient(ClientName);
            using var response = await client.GetAsync($"http://{service}/health/ready", cancellationToken);
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Healthy($"{service} is ready")
                : HealthCheckResult.Unhealthy($"{service} answered {(int)response.StatusCode}");
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy($"{service} is unreachable: {exception.Message}");
        }
    }
}
