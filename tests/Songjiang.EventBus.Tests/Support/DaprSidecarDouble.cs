using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapr.Client.Autogen.Grpc.v1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Songjiang.EventBus.Tests.Support;

/// <summary>
/// A stand-in for the Dapr sidecar that speaks its real protocols (the Dapr runtime cannot be installed here):
/// <list type="bullet">
/// <item>publishing on gRPC, the <c>dapr.proto.runtime.v1.Dapr</c> service's <c>PublishEvent</c> with the request and
/// reply messages generated in <c>Dapr.Protos</c>, which is what <c>DaprClient</c> calls;</item>
/// <item>the HTTP API's <c>GET /v1.0/healthz/outbound</c>;</item>
/// <item>subscriptions read from each app's <c>GET /dapr/subscribe</c> (the SDK's format: <c>route</c> without a leading
/// slash, <c>pubsubName</c>, <c>deadLetterTopic</c>), then deliveries of structured CloudEvents
/// (<c>application/cloudevents+json</c>) to those routes, SUCCESS/RETRY/DROP answers (a non-2xx answer is a retry, 404 a
/// drop), a retry count like a resiliency policy, then the dead-letter topic.</item>
/// </list>
/// A CloudEvent is changed the way daprd changes it: <c>pubsubname</c> and <c>topic</c> added, <c>traceparent</c> replaced
/// by the sidecar's own span in the caller's trace and copied to <c>traceid</c>, <c>tracestate</c> set (empty without one).
/// One double serves several apps, as the broker behind their sidecars would.
/// </summary>
public sealed class DaprSidecarDouble(int maxRetries) : IAsyncDisposable
{
    private readonly ConcurrentBag<(Uri App, Subscription Subscription)> _subscriptions = [];
    private readonly HttpClient _http = new();
    private WebApplication? _app;

    public ConcurrentQueue<(string Topic, JsonElement Envelope)> Published { get; } = new();

    /// <summary>Each span the sidecar started for a publish, with the span of the caller it continues.</summary>
    public ConcurrentDictionary<ActivitySpanId, ActivitySpanId> SidecarSpans { get; } = new();

    /// <summary>The <c>dapr-api-token</c> headers of the publish calls.</summary>
    public ConcurrentQueue<string?> PublishTokens { get; } = new();

    public Uri HttpAddress { get; private set; } = new("http://127.0.0.1");

    public Uri GrpcAddress { get; private set; } = new("http://127.0.0.1");

    public async Task StartAsync()
    {
        var (httpPort, grpcPort) = (FreePort(), FreePort());
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, httpPort, o => o.Protocols = HttpProtocols.Http1);
            // gRPC without TLS: HTTP/2 with prior knowledge, as daprd serves it to its app.
            kestrel.Listen(IPAddress.Loopback, grpcPort, o => o.Protocols = HttpProtocols.Http2);
        });
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(this);
        builder.Services.AddSingleton<IServiceMethodProvider<DaprRuntimeService>, DaprRuntimeMethods>();
        _app = builder.Build();
        _app.MapGrpcService<DaprRuntimeService>();
        _app.MapGet("/v1.0/healthz/outbound", () => Results.NoContent());
        await _app.StartAsync();
        HttpAddress = new Uri($"http://127.0.0.1:{httpPort}");
        GrpcAddress = new Uri($"http://127.0.0.1:{grpcPort}");
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

    /// <summary><c>PublishEvent</c>: what daprd does with a publish request from its app.</summary>
    internal Empty Publish(PublishEventRequest request, ServerCallContext context)
    {
        PublishTokens.Enqueue(context.RequestHeaders.GetValue("dapr-api-token"));
        var incoming = context.RequestHeaders.GetValue("traceparent");
        JsonObject envelope;
        if (request.DataContentType.StartsWith("application/cloudevents+json", StringComparison.Ordinal))
        {
            envelope = JsonNode.Parse(request.Data.Span)?.AsObject()
                ?? throw new RpcException(new Status(StatusCode.InvalidArgument, "the CloudEvent is null"));
            incoming ??= envelope["traceparent"]?.GetValue<string>();
        }
        else
        {
            envelope = new JsonObject
            {
                ["specversion"] = "1.0",
                ["id"] = Guid.NewGuid().ToString(),
                ["source"] = "sidecar-double",
                ["type"] = "com.dapr.event.sent",
                ["datacontenttype"] = request.DataContentType,
                ["data"] = JsonNode.Parse(request.Data.Span),
            };
        }

        var traceId = ActivityContext.TryParse(incoming, null, out var caller) ? caller.TraceId : ActivityTraceId.CreateRandom();
        var span = ActivitySpanId.CreateRandom();
        SidecarSpans[span] = caller.SpanId;
        var traceParent = $"00-{traceId.ToHexString()}-{span.ToHexString()}-01";
        envelope["pubsubname"] = request.PubsubName;
        envelope["topic"] = request.Topic;
        envelope["traceid"] = traceParent;
        envelope["traceparent"] = traceParent;
        envelope["tracestate"] = "";

        var body = envelope.ToJsonString();
        Published.Enqueue((request.Topic, JsonDocument.Parse(body).RootElement.Clone()));
        Fanout(request.PubsubName, request.Topic, body);
        return new Empty();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
        var route = new Uri(app, "/" + subscription.Route!.TrimStart('/'));
        for (var attempt = 0; attempt <= maxRetries; attempt++)
        {
            switch (await PostAsync(route, body))
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
        if (response.StatusCode == HttpStatusCode.NotFound)
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

    private sealed record Subscription(string PubsubName, string Topic, string? Route, string? DeadLetterTopic);

    /// <summary>The gRPC service instance; the double holds the state.</summary>
    internal sealed class DaprRuntimeService(DaprSidecarDouble sidecar)
    {
        public Task<Empty> PublishEvent(PublishEventRequest request, ServerCallContext context) => Task.FromResult(sidecar.Publish(request, context));
    }

    /// <summary>
    /// Binds <c>PublishEvent</c> of the <c>dapr.proto.runtime.v1.Dapr</c> service as described by <c>Dapr.Protos</c>'s
    /// descriptor: that package generates the client side only, so the server side is bound here by hand.
    /// </summary>
    private sealed class DaprRuntimeMethods : IServiceMethodProvider<DaprRuntimeService>
    {
        public void OnServiceMethodDiscovery(ServiceMethodProviderContext<DaprRuntimeService> context)
        {
            var descriptor = global::Dapr.Client.Autogen.Grpc.v1.Dapr.Descriptor.FindMethodByName("PublishEvent");
            var method = new Method<PublishEventRequest, Empty>(
                MethodType.Unary,
                descriptor.Service.FullName,
                descriptor.Name,
                Marshallers.Create(r => r.ToByteArray(), PublishEventRequest.Parser.ParseFrom),
                Marshallers.Create(r => r.ToByteArray(), Empty.Parser.ParseFrom));
            context.AddUnaryMethod(method, [], (service, request, call) => service.PublishEvent(request, call));
        }
    }
}
