using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Songjiang.EventBus;

/// <summary>
/// Writes and reads the CloudEvents 1.0 structured JSON envelope that Dapr also produces, so a service behind a
/// Dapr sidecar and a service on RabbitMQ directly read each other's events.
/// </summary>
/// <remarks>
/// Both directions run once per event, so they avoid per-event allocations that do not carry data: the envelope is
/// written into a pooled buffer by a per-thread <see cref="Utf8JsonWriter"/>, property names are pre-encoded, and a
/// received body is read in one forward pass whose <c>data</c> is deserialised straight from the body's bytes.
/// </remarks>
internal static class CloudEventFormat
{
    public const string ContentType = "application/cloudevents+json";
    public const string SpecVersion = "1.0";

    /// <summary>Payloads use the web defaults (camelCase), the same as the platform's HTTP APIs.</summary>
    public static readonly JsonSerializerOptions DataOptions = CreateDataOptions();

    private static readonly JsonEncodedText SpecVersionName = JsonEncodedText.Encode("specversion");
    private static readonly JsonEncodedText SpecVersionValue = JsonEncodedText.Encode(SpecVersion);
    private static readonly JsonEncodedText IdName = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText SourceName = JsonEncodedText.Encode("source");
    private static readonly JsonEncodedText TypeName = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText TimeName = JsonEncodedText.Encode("time");
    private static readonly JsonEncodedText DataContentTypeName = JsonEncodedText.Encode("datacontenttype");
    private static readonly JsonEncodedText DataContentTypeValue = JsonEncodedText.Encode("application/json");
    private static readonly JsonEncodedText TopicName = JsonEncodedText.Encode("topic");
    private static readonly JsonEncodedText TraceParentName = JsonEncodedText.Encode("traceparent");
    private static readonly JsonEncodedText TraceStateName = JsonEncodedText.Encode("tracestate");
    private static readonly JsonEncodedText DataName = JsonEncodedText.Encode("data");

    /// <summary>A writer per thread; writing is synchronous, so it is never shared between two envelopes.</summary>
    [ThreadStatic]
    private static EnvelopeWriter? _cachedWriter;

    /// <summary>
    /// Writes the envelope of <paramref name="evt"/> into a buffer rented from the shared pool. The caller disposes the
    /// result once the transport is done with the bytes (after the publish completed).
    /// </summary>
    /// <param name="evt">The event.</param>
    /// <param name="type">The event's metadata (<see cref="EventTypeMetadata.Of"/> of its runtime type).</param>
    /// <param name="source">The publishing app id, JSON-encoded once by the caller.</param>
    /// <param name="trace">The trace context to propagate; without one a fresh unsampled root is written, so consumers can still correlate.</param>
    public static RentedEnvelope WriteRented(IntegrationEvent evt, EventTypeMetadata type, JsonEncodedText source, Activity? trace) =>
        WriteRented(evt, type, type.EncodedTopic, source, TraceParentOrNull(trace), trace?.TraceStateString);

    /// <summary>Writes an envelope into a new array (for callers that keep it, such as tests).</summary>
    public static byte[] Write(IntegrationEvent evt, string topic, string source, string traceParent, string? traceState)
    {
        using var envelope = WriteRented(
            evt, EventTypeMetadata.Of(evt.GetType()), JsonEncodedText.Encode(topic), JsonEncodedText.Encode(source), traceParent, traceState);
        return envelope.Span.ToArray();
    }

    /// <summary>Reads an envelope, rejecting anything that is not a valid CloudEvents 1.0 structured event.</summary>
    /// <exception cref="InvalidEnvelopeException">The body is not a usable CloudEvent.</exception>
    public static CloudEvent Read(ReadOnlyMemory<byte> body)
    {
        var envelope = Parse(body);
        using var data = JsonDocument.Parse(envelope.Data);
        return new CloudEvent(envelope.Id, envelope.Source, envelope.Type, envelope.Time, envelope.TraceParent, envelope.TraceState, data.RootElement.Clone());
    }

    /// <summary>
    /// Reads an envelope in one pass, leaving <c>data</c> as a slice of <paramref name="body"/>: valid only as long as
    /// the body is (a RabbitMQ delivery's body is, until its handler returns).
    /// </summary>
    /// <exception cref="InvalidEnvelopeException">The body is not a usable CloudEvent.</exception>
    public static ReceivedCloudEvent Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return ParseObject(body);
        }
        catch (JsonException ex)
        {
            throw new InvalidEnvelopeException("The body is not JSON.", ex);
        }
    }

    /// <summary>The trace context to send: the current activity's, or a fresh unsampled root so consumers can still correlate.</summary>
    public static string TraceParentOf(Activity? activity) =>
        TraceParentOrNull(activity) ?? $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-00";

    /// <summary>
    /// Read-only with the reflection resolver in place, so payload contracts can be looked up once per type. Enums
    /// travel as their names, so a consumer's copy of an enum need not repeat the publisher's order; numbers are
    /// still read, for events written before names were.
    /// </summary>
    private static JsonSerializerOptions CreateDataOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private static string? TraceParentOrNull(Activity? activity) =>
        activity is { IdFormat: ActivityIdFormat.W3C, Id: { } id } ? id : null;

    private static RentedEnvelope WriteRented(
        IntegrationEvent evt, EventTypeMetadata type, JsonEncodedText topic, JsonEncodedText source, string? traceParent, string? traceState)
    {
        // Taken off the thread while in use: should serialising the payload ever publish on this thread, that call gets its own.
        var writer = _cachedWriter ?? new EnvelopeWriter();
        _cachedWriter = null;
        try
        {
            var json = writer.Json;
            json.WriteStartObject();
            json.WriteString(SpecVersionName, SpecVersionValue);
            json.WriteString(IdName, evt.Id);
            json.WriteString(SourceName, source);
            json.WriteString(TypeName, topic);
            // UtcDateTime so the time is written with "Z", as Dapr writes it.
            json.WriteString(TimeName, evt.OccurredAt.UtcDateTime);
            json.WriteString(DataContentTypeName, DataContentTypeValue);
            json.WriteString(TopicName, topic);
            if (traceParent is not null)
            {
                json.WriteString(TraceParentName, traceParent);
            }
            else
            {
                WriteRandomTraceParent(json);
            }

            if (!string.IsNullOrEmpty(traceState))
            {
                json.WriteString(TraceStateName, traceState);
            }

            json.WritePropertyName(DataName);
            JsonSerializer.Serialize(json, evt, type.Contract);
            json.WriteEndObject();
            json.Flush();
            return writer.Buffer.Detach();
        }
        catch
        {
            writer.Buffer.Release();
            throw;
        }
        finally
        {
            writer.Json.Reset();
            _cachedWriter = writer;
        }
    }

    /// <summary>A new root trace id and span id, not sampled (<c>-00</c>): what <see cref="TraceParentOf"/> writes without an activity.</summary>
    private static void WriteRandomTraceParent(Utf8JsonWriter json)
    {
        Span<byte> ids = stackalloc byte[24];
        Random.Shared.NextBytes(ids);
        // An all-zero trace or span id is invalid (https://www.w3.org/TR/trace-context/#trace-id); make it impossible.
        ids[15] |= 1;
        ids[23] |= 1;

        Span<char> value = stackalloc char[55];
        "00-".CopyTo(value);
        Convert.TryToHexStringLower(ids[..16], value[3..35], out _);
        value[35] = '-';
        Convert.TryToHexStringLower(ids[16..], value[36..52], out _);
        "-00".CopyTo(value[52..]);
        json.WriteString(TraceParentName, value);
    }

    private static ReceivedCloudEvent ParseObject(ReadOnlyMemory<byte> body)
    {
        var reader = new Utf8JsonReader(body.Span);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            // Validate the rest first, so a body that is not JSON at all is reported as such.
            while (reader.Read())
            {
            }

            throw new InvalidEnvelopeException("The body is not a JSON object.");
        }

        var specVersionMatches = false;
        string? id = null, source = null, type = null, traceParent = null, traceState = null;
        DateTimeOffset? time = null;
        var timeInvalid = false;
        var dataStart = -1;
        var dataEnd = -1;

        // Attribute names are case-sensitive; a repeated attribute takes its last value, as JsonElement.TryGetProperty does.
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                dataStart = (int)reader.TokenStartIndex;
                reader.Skip();
                dataEnd = (int)reader.BytesConsumed;
            }
            else if (reader.ValueTextEquals("specversion"u8))
            {
                reader.Read();
                specVersionMatches = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("1.0"u8);
                reader.Skip();
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                id = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("source"u8))
            {
                source = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                type = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("time"u8))
            {
                reader.Read();
                time = null;
                timeInvalid = false;
                if (reader.TokenType == JsonTokenType.String)
                {
                    // The same ISO 8601 profile as JsonElement.TryGetDateTimeOffset.
                    timeInvalid = !reader.TryGetDateTimeOffset(out var parsed);
                    time = parsed;
                }

                reader.Skip();
            }
            else if (reader.ValueTextEquals("traceparent"u8))
            {
                traceParent = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("tracestate"u8))
            {
                traceState = ReadString(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // Past the closing brace only whitespace may follow; the reader throws on anything else.
        while (reader.Read())
        {
        }

        if (!specVersionMatches)
        {
            throw new InvalidEnvelopeException("Only CloudEvents specversion 1.0 is supported.");
        }

        if (dataStart < 0)
        {
            throw new InvalidEnvelopeException("The envelope has no data.");
        }

        return new ReceivedCloudEvent(
            Required(id, "id"),
            Required(source, "source"),
            Required(type, "type"),
            timeInvalid ? throw new InvalidEnvelopeException("'time' is not RFC 3339.") : time,
            traceParent,
            traceState,
            body[dataStart..dataEnd]);
    }

    /// <summary>The value if it is a string, else null (and the value is skipped).</summary>
    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    private static string Required(string? value, string name) =>
        value is { Length: > 0 } ? value : throw new InvalidEnvelopeException($"The envelope has no '{name}'.");

    /// <summary>One thread's writer and its pooled output.</summary>
    private sealed class EnvelopeWriter
    {
        public EnvelopeWriter() => Json = new Utf8JsonWriter(Buffer);

        public PooledBufferWriter Buffer { get; } = new();

        public Utf8JsonWriter Json { get; }
    }
}
