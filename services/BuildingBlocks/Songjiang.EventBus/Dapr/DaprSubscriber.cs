using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Songjiang.EventBus;

/// <summary>
/// The app side of Dapr's pub/sub contract (https://docs.dapr.io/reference/api/pubsub_api/): programmatic subscriptions
/// on <c>GET /dapr/subscribe</c>, then deliveries on the routes they name, answered SUCCESS, RETRY or DROP. Retries and
/// back-off belong to the sidecar's resiliency policy here; after them it sends the event to the dead-letter topic,
/// which this app also subscribes to and keeps for the admin endpoints.
/// </summary>
internal sealed partial class DaprSubscriber(
    EventSubscriptions subscriptions,
    EventDispatcher dispatcher,
    DeadLetterList deadLetters,
    IOptions<EventBusOptions> options,
    TimeProvider time,
    ILogger<DaprSubscriber> logger)
{
    private readonly EventBusOptions _options = options.Value;

    public Task WriteSubscriptionsAsync(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return Task.CompletedTask;
        }

        var pubsub = _options.Dapr.PubSubName;
        var entries = subscriptions.All.SelectMany(s =>
        {
            var deadLetterTopic = DaprSidecar.DeadLetterTopic(_options.AppId, s.Topic);
            return new[]
            {
                new DaprSubscription(pubsub, s.Topic, DaprSidecar.DeliveryRoutePrefix + s.Topic, deadLetterTopic),
                new DaprSubscription(pubsub, deadLetterTopic, DaprSidecar.DeadLetterRoutePrefix + s.Topic, null),
            };
        });
        return context.Response.WriteAsJsonAsync(entries, DaprJson.Options, context.RequestAborted);
    }

    /// <summary>Handles a delivery; the path is relative to <see cref="DaprSidecar.DeliveryRoutePrefix"/>.</summary>
    public async Task DeliverAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        if (_options.Dapr.AppApiToken is { Length: > 0 } token && context.Request.Headers[DaprSidecar.ApiTokenHeader] != token)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var path = context.Request.Path.Value?.TrimStart('/') ?? "";
        var body = await ReadBodyAsync(context.Request, context.RequestAborted);
        const string deadLetterSegment = "dead-letters/";
        string status;
        if (path.StartsWith(deadLetterSegment, StringComparison.Ordinal))
        {
            KeepDeadLetter(path[deadLetterSegment.Length..], body, "the sidecar gave up after its resiliency retries");
            status = "SUCCESS";
        }
        else
        {
            status = await DispatchAsync(path, body, context.RequestAborted);
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

/// <summary>One entry of the <c>/dapr/subscribe</c> answer.</summary>
internal sealed record DaprSubscription(string PubsubName, string Topic, string Route, string? DeadLetterTopic);

/// <summary>The answer to a delivery: SUCCESS, RETRY or DROP.</summary>
internal sealed record DaprDeliveryResponse(string Status);

internal static class DaprJson
{
    /// <summary>Dapr's field names are camelCase (<c>pubsubname</c> is one word, hence the record's <c>PubsubName</c>).</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}
