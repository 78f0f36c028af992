using System.Text;
using System.Text.Json;
using Dapr;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Songjiang.EventBus;

/// <summary>
/// The app side of Dapr's pub/sub contract (https://docs.dapr.io/reference/api/pubsub_api/), through Dapr.AspNetCore:
/// one endpoint per subscribed topic, declared with its topic metadata (<c>WithTopic</c>: component, topic, dead-letter
/// topic), and the SDK's subscribe handler on <c>GET /dapr/subscribe</c>, which lists them for the sidecar. Deliveries
/// are answered SUCCESS, RETRY or DROP. Retries and back-off belong to the sidecar's resiliency policy here; after them it
/// sends the event to the dead-letter topic, which this app also subscribes to and keeps for the admin endpoints.
/// </summary>
/// <remarks>
/// Deliveries read the structured CloudEvent themselves instead of through the SDK's CloudEvents middleware, which
/// replaces the body with <c>data</c> and would lose the <c>id</c>, <c>source</c> and <c>traceparent</c> the inbox and
/// tracing need (ADR 0003).
/// </remarks>
internal sealed partial class DaprSubscriber(
    EventSubscriptions subscriptions,
    EventDispatcher dispatcher,
    DeadLetterList deadLetters,
    IOptions<EventBusOptions> options,
    TimeProvider time,
    ILogger<DaprSubscriber> logger)
{
    private readonly EventBusOptions _options = options.Value;

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        var pubsub = _options.Dapr.PubSubName;
        endpoints.MapSubscribeHandler().AllowAnonymous().ExcludeFromDescription();
        foreach (var subscription in subscriptions.All)
        {
            var topic = subscription.Topic;
            var deadLetterTopic = DaprSidecar.DeadLetterTopic(_options.AppId, topic);
            endpoints.MapPost(DaprSidecar.DeliveryRoutePrefix + topic, context => DeliverAsync(context, topic, deadLetter: false))
                .WithTopic(new TopicOptions { PubsubName = pubsub, Name = topic, DeadLetterTopic = deadLetterTopic })
                .AllowAnonymous()
                .ExcludeFromDescription();
            endpoints.MapPost(DaprSidecar.DeadLetterRoutePrefix + topic, context => DeliverAsync(context, topic, deadLetter: true))
                .WithTopic(pubsub, deadLetterTopic)
                .AllowAnonymous()
                .ExcludeFromDescription();
        }
    }

    private async Task DeliverAsync(HttpContext context, string topic, bool deadLetter)
    {
        if (_options.Dapr.AppApiToken is { Length: > 0 } token && context.Request.Headers[DaprSidecar.ApiTokenHeader] != token)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var body = await ReadBodyAsync(context.Request, context.RequestAborted);
        string status;
        if (deadLetter)
        {
            KeepDeadLetter(topic, body, "the sidecar gave up after its resiliency retries");
            status = "SUCCESS";
        }
        else
        {
            status = await DispatchAsync(topic, body, context.RequestAborted);
        }

        await context.Response.WriteAsJsonAsync(new DaprDeliveryResponse(status), DaprJson.Options, context.RequestAborted);
    }

    private async Task<string> DispatchAsync(string topic, byte[] body, CancellationToken ct)
    {
        var topicTag = EventBusDiagnostics.TopicTag(topic);
        var appTag = EventBusDiagnostics.AppTag(_options.AppId);
        try
        {
            await dispatcher.DispatchAsync(topic, CloudEventFormat.Parse(body), ct);
            EventBusDiagnostics.Delivered.Add(1, topicTag, appTag);
            return "SUCCESS";
        }
        catch (InvalidEnvelopeException ex)
        {
            // Retrying cannot fix it: keep it here and tell the sidecar to drop it.
            LogInvalid(ex, topic);
            KeepDeadLetter(topic, body, ex.Message);
            return "DROP";
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            LogRetry(ex, topic);
            EventBusDiagnostics.Retried.Add(1, topicTag, appTag);
            return "RETRY";
        }
    }

    private void KeepDeadLetter(string topic, byte[] body, string reason)
    {
        deadLetters.Add(new DeadLetter(MessageIdOf(body), topic, time.GetUtcNow(), reason, Encoding.UTF8.GetString(body)));
        EventBusDiagnostics.DeadLettered.Add(1, EventBusDiagnostics.TopicTag(topic), EventBusDiagnostics.AppTag(_options.AppId));
    }

    private static string MessageIdOf(byte[] body)
    {
        try
        {
            return CloudEventFormat.Parse(body).Id;
        }
        catch (InvalidEnvelopeException)
        {
            return $"invalid-{Guid.CreateVersion7()}";
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }

    [LoggerMessage(LogLevel.Error, "Dropping a message on {Topic} that cannot be handled; kept as a dead letter")]
    private partial void LogInvalid(Exception ex, string topic);

    [LoggerMessage(LogLevel.Warning, "Handling an event on {Topic} failed; asking the sidecar to retry")]
    private partial void LogRetry(Exception ex, string topic);
}

/// <summary>The answer to a delivery: SUCCESS, RETRY or DROP.</summary>
internal sealed record DaprDeliveryResponse(string Status);

internal static class DaprJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
