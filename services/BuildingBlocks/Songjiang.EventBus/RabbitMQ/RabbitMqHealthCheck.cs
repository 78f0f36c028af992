using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Songjiang.EventBus;

/// <summary>Healthy while the publisher connection to the broker is open (it is opened on first check if needed).</summary>
internal sealed class RabbitMqHealthCheck(RabbitMqConnections connections) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var connection = await connections.Publisher.GetAsync(cancellationToken);
            return connection.IsOpen
                ? HealthCheckResult.Healthy()
                : new HealthCheckResult(context.Registration.FailureStatus, "The RabbitMQ connection is down and recovering.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "RabbitMQ is unreachable.", ex);
        }
    }
}
