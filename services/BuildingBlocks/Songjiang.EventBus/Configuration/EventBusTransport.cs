namespace Songjiang.EventBus;

/// <summary>How events travel between applications; chosen by <c>EventBus:Transport</c>.</summary>
public enum EventBusTransport
{
    /// <summary>In the same process (embedded mode): background workers with the same retry and dead-letter rules as a broker.</summary>
    InMemory,

    /// <summary>RabbitMQ directly, with the topology of Dapr's <c>pubsub.rabbitmq</c> component.</summary>
    RabbitMQ,

    /// <summary>Through a Dapr sidecar's pub/sub API.</summary>
    Dapr,
}
