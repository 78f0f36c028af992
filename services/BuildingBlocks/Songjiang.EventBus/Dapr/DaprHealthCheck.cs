using Dapr.Client;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Songjiang.EventBus;

/// <summary>Asks the sidecar whether its components (the pub/sub broker among them) are ready: <c>GET /v1.0/healthz/outbound</c>.</summary>
internal sealed class DaprHealthCheck(DaprClient dapr) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await dapr.CheckOutboundHealthAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : new HealthCheckResult(context.Registration.FailureStatus, "The Dapr sidecar is unreachable or its components are not ready.");
}
