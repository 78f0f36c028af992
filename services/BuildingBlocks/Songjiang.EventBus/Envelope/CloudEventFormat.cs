using System.Diagnostics;
using System.Text.Json;

namespace Songjiang.EventBus;

/// <summary>
/// Writes and reads the CloudEvents 1.0 structured JSON envelope that Dapr also produces, so a service behind a
/// Dapr sidecar and a service on RabbitMQ directly read each other's events.
/// </summary>
internal static class CloudEventFormat
{
    public const string ContentType = "application/cloudevents+json";
    public const string SpecVersion = "1.0";

    /// <summary>Payloads use the web defaults (camelCase), the same as the platform's HTTP APIs.</summary>
    public static readonly JsonSerializerOptions DataOptions = new(JsonSerializerDefaults.Web);

    public static byte[] Write(IntegrationEvent evt, string topic, string source, string traceParent, string? traceState)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("specversion", SpecVersion);
            writer.WriteString("id", evt.Id.ToString());
            writer.WriteString("source", source);
            writer.WriteString("type", topic);
            // UtcDateTime so the time is written with "Z", as Dapr writes it.
            writer.WriteString("time", evt.OccurredAt.UtcDateTime);
            writer.WriteString("datacontenttype", "application/json");
            writer.WriteString("topic", topic);
            writer.WriteString("traceparent", traceParent);
            if (!string.IsNullOrEmpty(traceState))
            {
                writer.WriteString("tracestate", traceState);
            }

            writer.WritePropertyName("data");
            JsonSerializer.Serialize(writer, evt, evt.GetType(), DataOptions);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads an envelope, rejecting anything that is not a valid CloudEvents 1.0 structured event.</summary>
    /// <exception cref="InvalidEnvelopeException">The body is not a usable CloudEvent.</exception>
    public static CloudEvent Read(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new InvalidEnvelopeException("The body is not JSON.", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidEnvelopeException("The body is not a JSON object.");
            }

            if (RequiredString(root, "specversion") != SpecVersion)
            {
                throw new InvalidEnvelopeException("Only CloudEvents specversion 1.0 is supported.");
            }

            if (!root.TryGetProperty("data", out var data))
            {
                throw new InvalidEnvelopeException("The envelope has no data.");
            }

            return new CloudEvent(
                RequiredString(root, "id"),
                RequiredString(root, "source"),
                RequiredString(root, "type"),
                OptionalTime(root),
                OptionalString(root, "traceparent"),
                OptionalString(root, "tracestate"),
                data.Clone());
        }
    }

    /// <summary>The trace context to send: the current activity's, or a fresh unsampled root so consumers can still correlate.</summary>
    public static string TraceParentOf(Activity? activity) =>
        activity is { IdFormat: ActivityIdFormat.W3C, Id: { } id }
            ? id
            : $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-00";

    private static string RequiredString(JsonElement root, string name) =>
        OptionalString(root, name) is { Length: > 0 } value
            ? value
            : throw new InvalidEnvelopeException($"The envelope has no '{name}'.");

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? OptionalTime(JsonElement root) =>
        root.TryGetProperty("time", out var value) && value.ValueKind == JsonValueKind.String
            ? value.TryGetDateTimeOffset(out var time) ? time : throw new InvalidEnvelopeException("'time' is not RFC 3339.")
            : null;
}
