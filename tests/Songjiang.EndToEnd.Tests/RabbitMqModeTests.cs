using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Songjiang.Testing;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Songjiang.EndToEnd.Tests;

/// <summary>The embedded platform with RabbitMQ as its event transport, chosen by configuration alone.</summary>
public sealed class RabbitMqPlatformFixture : PlatformFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("EventBus:Transport", "RabbitMQ"),
        new("ConnectionStrings:eventbus", Environment.GetEnvironmentVariable("SONGJIANG_TEST_RABBITMQ")),
    ];

    /// <summary>Starts only where the test script provides a broker; the test itself then reports the skip.</summary>
    public override ValueTask InitializeAsync() =>
        Environment.GetEnvironmentVariable("SONGJIANG_TEST_RABBITMQ") is { Length: > 0 } ? base.InitializeAsync() : ValueTask.CompletedTask;
}

public sealed class RabbitMqModeTests(RabbitMqPlatformFixture platform) : IClassFixture<RabbitMqPlatformFixture>
{
    private const string Topic = "enterprises.profile-changed.v1";

    [Fact]
    public async Task Readiness_includes_the_broker_connection()
    {
        _ = TestServers.RabbitMq;
        foreach (var service in new[] { "catalog", "enterprises", "cases" })
        {
            using var client = PlatformFixture.ExternalClient(new Uri(platform.Host.Options.Services[service]));
            using var response = await client.GetAsync("/health/ready");
            var checks = (await PlatformFixture.JsonOf(response)).GetProperty("checks");
            Assert.Equal("Healthy", checks.GetProperty("eventbus-rabbitmq").GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task A_profile_change_reaches_the_broker_as_a_cloud_event_after_commit()
    {
        var factory = new ConnectionFactory { Uri = new Uri(TestServers.RabbitMq) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(Topic, ExchangeType.Fanout, durable: true, autoDelete: false);
        var queue = (await channel.QueueDeclareAsync(queue: "", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, Topic, routingKey: "");
        var received = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var envelope = JsonDocument.Parse(Encoding.UTF8.GetString(delivery.Body.Span)).RootElement.Clone();
            if (envelope.GetProperty("data").GetProperty("uscc").GetString() == "91310117MA1H8BXR2W")
            {
                received.TrySetResult(envelope);
            }
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);

        var token = await platform.UserTokenAsync("ent-g60bio");
        using var request = new HttpRequestMessage(HttpMethod.Patch, "/api/enterprises/91310117MA1H8BXR2W")
        {
            Content = JsonContent.Create(new { employees = 431 }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await platform.Gateway.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var cloudEvent = await received.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("1.0", cloudEvent.GetProperty("specversion").GetString());
        Assert.Equal(Topic, cloudEvent.GetProperty("type").GetString());
        var data = cloudEvent.GetProperty("data");
        Assert.Equal(["employees"], data.GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(431, data.GetProperty("profile").GetProperty("employees").GetInt32());
    }
}
