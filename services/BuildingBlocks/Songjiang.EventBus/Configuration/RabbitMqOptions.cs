namespace Songjiang.EventBus;

/// <summary>RabbitMQ connection settings (<c>EventBus:RabbitMQ</c>); <c>ConnectionStrings:eventbus</c> takes precedence.</summary>
public sealed class RabbitMqOptions
{
    /// <summary>AMQP URI, e.g. <c>amqp://user:password@rabbitmq:5672/songjiang</c>. Filled from <c>ConnectionStrings:eventbus</c> when set.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Host name, used when no connection string is given.</summary>
    public string? HostName { get; set; }

    /// <summary>AMQP port.</summary>
    public int Port { get; set; } = 5672;

    /// <summary>User name.</summary>
    public string UserName { get; set; } = "guest";

    /// <summary>Password.</summary>
    public string Password { get; set; } = "guest";

    /// <summary>Virtual host.</summary>
    public string VirtualHost { get; set; } = "/";

    /// <summary>Pause between reconnection attempts after the broker goes away.</summary>
    public TimeSpan RecoveryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a publish keeps trying (through a broker outage) before it fails to the caller.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
