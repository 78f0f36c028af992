using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Songjiang.EventBus;

/// <summary>
/// Healthy while the publisher connection to the broker is open (it is opened on first check if needed) and the service
/// consumes its queues; degraded while its consumer is subscribing again (it still serves requests and publishes, but
/// handles no events until then).
/// </summary>
internal sealed class RabbitMqHealthCheck(RabbitMqConnections connections, RabbitMqConsumerService consumer) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var connection = await connections.Publisher.GetAsync(cancellationToken);
            if (!connection.IsOpen)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, "The RabbitMQ connection is down and recovering.");
            }

            return consumer.IsConsuming
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Degraded("Not consuming its queues: the consumer is subscribing to RabbitMQ again.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "RabbitMQ is unreachable.", ex);
        }
    }
}
