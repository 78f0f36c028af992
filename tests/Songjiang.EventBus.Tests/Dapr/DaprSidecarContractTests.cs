using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Songjiang.EventBus.Tests.Support;

namespace Songjiang.EventBus.Tests.Dapr;

/// <summary>What a Dapr sidecar sees of an app on the Dapr transport: its subscriptions, its publishes and its answers.</summary>
public sealed class DaprSidecarContractTests(DaprFixture dapr) : IClassFixture<DaprFixture>
{
    private const string Topic = "tests.sample-submitted.v1";

    [Fact]
    public async Task The_subscribe_handler_lists_each_topic_with_its_route_and_dead_letter_topic()
    {
        await using var app = await StartAsync("consumer");
        using var http = new HttpClient();

        var subscriptions = await http.GetFromJsonAsync<JsonElement[]>(new Uri(app.Address, "/dapr/subscribe"), TestContext.Current.CancellationToken);

        var appId = app.Options.AppId;
        var topic = Assert.Single(subscriptions!, s => s.GetProperty("topic").GetString() == Topic);
        Assert.Equal("pubsub", topic.GetProperty("pubsubName").GetString());
        Assert.Equal($"eventbus/dapr/{Topic}", topic.GetProperty("route").GetString());
        Assert.Equal($"dead-letters.{appId}.{Topic}", topic.GetProperty("deadLetterTopic").GetString());
        var deadLetters = Assert.Single(subscriptions!, s => s.GetProperty("topic").GetString() == $"dead-letters.{appId}.{Topic}");
        Assert.Equal($"eventbus/dapr/dead-letters/{Topic}", deadLetters.GetProperty("route").GetString());
    }

    [Fact]
    public async Task Publishing_goes_through_the_sidecars_grpc_api_with_the_api_token()
    {
        await using var app = await StartAsync("publisher", subscribes: false, new() { ["EventBus:Dapr:ApiToken"] = "sidecar-secret" });
        var before = dapr.Sidecar.PublishTokens.Count;

        await app.Services.GetRequiredService<IEventBus>().PublishAsync(new SampleSubmittedIntegrationEvent("SJ-GRPC"), TestContext.Current.CancellationToken);

        Assert.Equal("sidecar-secret", dapr.Sidecar.PublishTokens.Skip(before).Single());
    }

    [Fact]
    public async Task A_delivery_without_the_app_token_is_refused_and_one_with_it_is_handled()
    {
        await using var app = await StartAsync("consumer", subscribes: true, new() { ["EventBus:Dapr:AppApiToken"] = "app-secret" });
        using var http = new HttpClient();
        var evt = new SampleSubmittedIntegrationEvent("SJ-TOKEN");
        var body = CloudEventFormat.Write(evt, Topic, "publisher", CloudEventFormat.TraceParentOf(null), null);
        var route = new Uri(app.Address, $"/eventbus/dapr/{Topic}");

        using var anonymous = await http.PostAsync(route, Content(body), TestContext.Current.CancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = Content(body), Headers = { { "dapr-api-token", "app-secret" } } };
        using var sidecar = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("SUCCESS", (await sidecar.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("status").GetString());
        Assert.Equal(1, await app.CommittedEffectsAsync(evt.Id));
    }

    [Fact]
    public async Task A_body_that_is_no_cloudevent_is_dropped_and_kept_as_a_dead_letter()
    {
        await using var app = await StartAsync("consumer");
        using var http = new HttpClient();

        using var response = await http.PostAsync(
            new Uri(app.Address, $"/eventbus/dapr/{Topic}"), Content("{\"hello\":1}"u8.ToArray()), TestContext.Current.CancellationToken);

        Assert.Equal("DROP", (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("status").GetString());
        var deadLetter = Assert.Single(await app.Services.GetRequiredService<IDeadLetterStore>().ListAsync(10, TestContext.Current.CancellationToken));
        Assert.Equal(Topic, deadLetter.Topic);
    }

    [Fact]
    public async Task The_readiness_check_asks_the_sidecar_for_its_outbound_health()
    {
        await using var app = await StartAsync("publisher", subscribes: false);
        var report = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Healthy, report.Entries["eventbus-dapr"].Status);

        await using var orphan = await StartAsync("publisher", subscribes: false, new() { ["EventBus:Dapr:HttpEndpoint"] = "http://127.0.0.1:1" });
        var orphanReport = await orphan.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Unhealthy, orphanReport.Entries["eventbus-dapr"].Status);
    }

    private static ByteArrayContent Content(byte[] body) =>
        new(body) { Headers = { ContentType = new("application/cloudevents+json") { CharSet = Encoding.UTF8.WebName } } };

    private Task<TestApp> StartAsync(string role, bool subscribes = true, Dictionary<string, string?>? settings = null) =>
        TestApp.StartAsync(new TestAppOptions($"{role}-{Guid.NewGuid():N}"[..20], dapr) { Subscribes = subscribes, Settings = settings ?? [] });
}
