using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Songjiang.EventBus;

/// <summary>
/// One lazily opened, automatically recovering AMQP connection. Once open, the client library reconnects it (and
/// re-declares its queues and consumers) after a broker restart, so the same instance stays valid for the app's life.
/// </summary>
internal sealed class RabbitMqConnection(IOptions<EventBusOptions> options, string purpose) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;

    /// <summary>The name the broker shows for this connection: application, purpose, host and instance, to tell replicas apart.</summary>
    public string Name { get; } = $"{options.Value.AppId}-{purpose}@{Environment.MachineName}/{Guid.NewGuid().ToString("N")[..8]}";

    public bool IsOpen => _connection?.IsOpen == true;

    /// <exception cref="RabbitMQ.Client.Exceptions.BrokerUnreachableException">The broker cannot be reached (yet).</exception>
    public async Task<IConnection> GetAsync(CancellationToken ct)
    {
        if (_connection is { } connection)
        {
            return connection;
        }

        await _gate.WaitAsync(ct);
        try
        {
            return _connection ??= await CreateFactory(options.Value).CreateConnectionAsync(Name, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
        {
            await connection.DisposeAsync();
        }

        _gate.Dispose();
    }

    private static ConnectionFactory CreateFactory(EventBusOptions options)
    {
        var rabbit = options.RabbitMQ;
        var factory = new ConnectionFactory
        {
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = rabbit.RecoveryInterval,
            ConsumerDispatchConcurrency = (ushort)options.Prefetch,
        };

        if (rabbit.ConnectionString is { } uri)
        {
            factory.Uri = new Uri(uri);
        }
        else
        {
            factory.HostName = rabbit.HostName!;
            factory.Port = rabbit.Port;
            factory.UserName = rabbit.UserName;
            factory.Password = rabbit.Password;
            factory.VirtualHost = rabbit.VirtualHost;
        }

        return factory;
    }
}

/// <summary>
/// Publishers and consumers use separate connections, as RabbitMQ advises: flow control that throttles a busy
/// publisher's connection must not also stall acknowledgements.
/// </summary>
internal sealed class RabbitMqConnections(IOptions<EventBusOptions> options) : IAsyncDisposable
{
    public RabbitMqConnection Publisher { get; } = new(options, "publisher");

    public RabbitMqConnection Consumer { get; } = new(options, "consumer");

    public async ValueTask DisposeAsync()
    {
        await Publisher.DisposeAsync();
        await Consumer.DisposeAsync();
    }
}
