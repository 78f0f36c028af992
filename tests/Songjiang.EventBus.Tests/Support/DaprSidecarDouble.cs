using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;

namespace Songjiang.EventBus.Tests.Support;

/// <summary>
/// A stand-in for the Dapr sidecar that implements its documented pub/sub HTTP contract
/// (https://docs.dapr.io/reference/api/pubsub_api/): <c>POST /v1.0/publish/{pubsub}/{topic}</c>, programmatic
/// subscriptions read from each app's <c>GET /dapr/subscribe</c>, deliveries to the subscribed routes as structured
/// CloudEvents, SUCCESS/RETRY/DROP answers, a retry count like a resiliency policy, then the dead-letter topic.
/// One double serves several apps, as the broker behind their sidecars would.
/// </summary>
public sealed class DaprSidecarDouble(int maxRetries) : IAsyncDisposable
{
    private readonly ConcurrentBag<(Uri App, Subscription Subscription)> _subscriptions = [];
    private readonly HttpClient _http = new();
    private WebApplication? _app;

    public ConcurrentQueue<(string Topic, JsonElement Envelope)> Published { get; } = new();

    public Uri Address { get; private set; } = new("http://127.0.0.1");

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/v1.0/publish/{pubsub}/{topic}", PublishAsync);
        _app.MapGet("/v1.0/healthz/outbound", () => Results.NoContent());
        await _app.StartAsync();
        Address = new Uri(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
    }

    /// <summary>What the sidecar does when its app starts: read the app's subscriptions.</summary>
    public async Task RegisterAppAsync(Uri app)
    {
        var subscriptions = await _http.GetFromJsonAsync<Subscription[]>(new Uri(app, "/dapr/subscribe"));
        foreach (var subscription in subscriptions!)
        {
            _subscriptions.Add((app, subscription));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _http.Dispose();
    }

    private async Task<IResult> PublishAsync(string pubsub, string topic, HttpRequest request)
    {
        var node = await JsonNode.ParseAsync(request.Body);
        var envelope = request.ContentType?.StartsWith("application/cloudevents+json", StringComparison.Ordinal) == true
            ? node!.AsObject()
            : new JsonObject
            {
                ["specversion"] = "1.0",
                ["id"] = Guid.NewGuid().ToString(),
                ["source"] = "sidecar-double",
                ["type"] = "com.dapr.event.sent",
                ["datacontenttype"] = "application/json",
                ["data"] = node,
            };

        // The sidecar stamps the routing attributes on every envelope it forwards.
        envelope["pubsubname"] = pubsub;
        envelope["topic"] = topic;
        var body = envelope.ToJsonString();
        Published.Enqueue((topic, JsonDocument.Parse(body).RootElement.Clone()));
        Fanout(pubsub, topic, body);
        return Results.NoContent();
    }

    private void Fanout(string pubsub, string topic, string body)
    {
        foreach (var (app, subscription) in _subscriptions.Where(s => s.Subscription.PubsubName == pubsub && s.Subscription.Topic == topic))
        {
            _ = Task.Run(() => DeliverAsync(app, subscription, body));
        }
    }

    private async Task DeliverAsync(Uri app, Subscription subscription, string body)
    {
        for (var attempt = 0; attempt <= maxRetries; attempt++)
        {
            switch (await PostAsync(new Uri(app, subscription.Route), body))
            {
                case "SUCCESS" or "DROP":
                    return;
            }

            await Task.Delay(10);
        }

        if (subscription.DeadLetterTopic is { } deadLetterTopic)
        {
            Fanout(subscription.PubsubName, deadLetterTopic, body);
        }
    }

    /// <returns>SUCCESS, RETRY or DROP, read the way the sidecar reads the app's answer.</returns>
    private async Task<string> PostAsync(Uri route, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/cloudevents+json");
        using var response = await _http.PostAsync(route, content);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return "DROP";
        }

        if (!response.IsSuccessStatusCode)
        {
            return "RETRY";
        }

        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? "SUCCESS" : JsonNode.Parse(text)?["status"]?.GetValue<string>() ?? "SUCCESS";
    }

    private sealed record Subscription(string PubsubName, string Topic, string Route, string? DeadLetterTopic);
}
