using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Songjiang.EventBus.Tests.Support;

namespace Songjiang.EventBus.Tests.Hosting;

[Collection(RabbitMqCollection.Name)]
public sealed class RegistrationTests(RabbitMqFixture broker)
{
    [Theory]
    [InlineData("RabbitMQ", "EventBus:AppId", "cases")]
    [InlineData("InMemory", "EventBus:AppId", "Cases Service")]
    [InlineData("InMemory", "EventBus:MaxRetries", "-1")]
    [InlineData("RabbitMQ", "ConnectionStrings:eventbus", "http://rabbitmq")]
    [InlineData("InMemory", "EventBus:RetryMaxDelay", "00:00:00.001")]
    public async Task Invalid_settings_stop_the_service_at_start(string transport, string key, string value)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["EventBus:Transport"] = transport,
            ["EventBus:AppId"] = "cases",
            [key] = value,
        });
        builder.AddEventBus();
        await using var app = builder.Build();

        await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Without_an_app_id_the_application_name_is_used()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "Songjiang.Cases.Api" });
        builder.AddEventBus();
        using var app = builder.Build();

        Assert.Equal("songjiang-cases-api", app.Services.GetRequiredService<IOptions<EventBusOptions>>().Value.AppId);
    }

    [Fact]
    public async Task The_broker_health_check_is_ready_only_while_the_broker_is_reachable()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["EventBus:Transport"] = "RabbitMQ",
            ["EventBus:AppId"] = "cases",
            ["ConnectionStrings:eventbus"] = "amqp://guest:guest@127.0.0.1:1/",
        });
        builder.AddEventBus();
        await using var app = builder.Build();

        var report = await app.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(r => r.Tags.Contains(EventBusHostingExtensions.ReadyTag), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Unhealthy, report.Entries["eventbus-rabbitmq"].Status);
    }

    [Fact]
    public async Task The_broker_health_check_is_healthy_with_a_running_broker()
    {
        broker.RequireServer();
        await using var app = await TestApp.StartAsync(new TestAppOptions("health", broker));

        var report = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Healthy, report.Entries["eventbus-rabbitmq"].Status);
    }
}
