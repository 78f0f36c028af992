using System.Diagnostics;
using System.Text.Json;
using RabbitMQ.Client;

namespace Songjiang.EventBus.Tests.Support;

/// <summary>
/// RabbitMQ on the server the test script started, in a virtual host of its own that is deleted afterwards, so
/// queues left by one run never collect messages from the next.
/// </summary>
public sealed class RabbitMqFixture : TransportFixture
{
    private string? _virtualHost;

    public Uri? Uri { get; private set; }

    public override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("EventBus:Transport", "RabbitMQ"),
        new("ConnectionStrings:eventbus", Uri?.ToString()),
        new("EventBus:RabbitMQ:RecoveryInterval", "00:00:00.500"),
        new("EventBus:RabbitMQ:PublishTimeout", "00:00:20"),
    ];

    public override void RequireServer() => TestServers.RequireRabbitMq();

    public override async ValueTask InitializeAsync()
    {
        if (TestServers.RabbitMq is not { } server)
        {
            return;
        }

        var baseUri = new Uri(server);
        var user = Uri.UnescapeDataString(baseUri.UserInfo.Split(':')[0]);
        _virtualHost = $"sj-eventbus-{Guid.NewGuid():N}";
        await CtlAsync("add_vhost", _virtualHost);
        await CtlAsync("set_permissions", "-p", _virtualHost, user, ".*", ".*", ".*");
        Uri = new UriBuilder(baseUri) { Path = "/" + Uri.EscapeDataString(_virtualHost) }.Uri;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_virtualHost is not null)
        {
            await CtlAsync("delete_vhost", _virtualHost);
        }

        await base.DisposeAsync();
    }

    /// <summary>Stops the broker application (connections drop, durable queues and persistent messages survive).</summary>
    public Task StopBrokerAsync() => CtlAsync("stop_app");

    public Task StartBrokerAsync() => CtlAsync("start_app");

    /// <summary>Closes a client's connection from the broker side, as the broker sees a killed process: unacknowledged messages go back to their queues.</summary>
    public async Task KillConnectionAsync(string connectionName)
    {
        var listing = await CtlAsync("list_connections", "-q", "--no-table-headers", "pid", "client_properties");
        var pid = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Single(line => line.Contains($"{{\"connection_name\",\"{connectionName}\"}}", StringComparison.Ordinal))
            .Split('\t')[0];
        await CtlAsync("close_connection", pid, "killed by the test");
    }

    public async Task<IConnection> ConnectAsync() =>
        await new ConnectionFactory { Uri = Uri ?? throw new InvalidOperationException("No broker.") }.CreateConnectionAsync();

    public override async Task<JsonElement> CaptureEnvelopeAsync(string topic, Func<Task> publish)
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(topic, ExchangeType.Fanout, durable: true, autoDelete: false);
        var probe = await channel.QueueDeclareAsync(queue: "", durable: false, exclusive: true, autoDelete: true);
        await channel.QueueBindAsync(probe.QueueName, topic, routingKey: "");

        await publish();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (await channel.BasicGetAsync(probe.QueueName, autoAck: true) is { } message)
            {
                Assert.Equal("application/cloudevents+json", message.BasicProperties.ContentType);
                Assert.Equal(DeliveryModes.Persistent, message.BasicProperties.DeliveryMode);
                return JsonDocument.Parse(message.Body).RootElement.Clone();
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"Nothing was published to {topic}.");
    }

    private static async Task<string> CtlAsync(params string[] arguments)
    {
        var ctl = Environment.GetEnvironmentVariable("SONGJIANG_TEST_RABBITMQCTL") ?? "rabbitmqctl";
        var node = Environment.GetEnvironmentVariable("SONGJIANG_TEST_RABBITMQ_NODE");
        var start = new ProcessStartInfo(ctl) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (node is not null)
        {
            start.ArgumentList.Add("-n");
            start.ArgumentList.Add(node);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} failed: {await errors}");
        }

        return output;
    }
}
