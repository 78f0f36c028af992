using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Songjiang.EventBus;

/// <summary>Asks the sidecar whether its components (the pub/sub broker among them) are ready: <c>GET /v1.0/healthz/outbound</c>.</summary>
internal sealed class DaprHealthCheck(HttpClient http, IOptions<EventBusOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(options.Value.Dapr.HttpEndpoint!, "v1.0/healthz/outbound"), cancellationToken);
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Healthy()
                : new HealthCheckResult(context.Registration.FailureStatus, $"The Dapr sidecar answered {(int)response.StatusCode}.");
        }
        catch (HttpRequestException ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The Dapr sidecar is unreachable.", ex);
        }
    }
}
