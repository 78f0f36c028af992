using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Songjiang.EventBus.Tests.Support;

namespace Songjiang.EventBus.Tests.Envelope;

public sealed class CloudEventFormatTests
{
    [Fact]
    public void An_envelope_reads_back_with_its_attributes_and_data()
    {
        var evt = new SampleSubmittedIntegrationEvent("SJ-1");
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        var envelope = CloudEventFormat.Read(CloudEventFormat.Write(evt, "tests.sample-submitted.v1", "cases", traceParent, "vendor=1"));

        Assert.Equal(evt.Id.ToString(), envelope.Id);
        Assert.Equal("cases", envelope.Source);
        Assert.Equal("tests.sample-submitted.v1", envelope.Type);
        Assert.Equal(evt.OccurredAt, envelope.Time);
        Assert.Equal(traceParent, envelope.TraceParent);
        Assert.Equal("vendor=1", envelope.TraceState);
        Assert.Equal("SJ-1", envelope.Data.GetProperty("reference").GetString());
    }

    [Fact]
    public void An_envelope_from_a_dapr_sidecar_with_its_extra_attributes_is_accepted()
    {
        const string json = """
            {"specversion":"1.0","id":"5929aaac-a5e2-4ca1-859c-edfe73f11565","source":"licenses","type":"com.dapr.event.sent",
             "datacontenttype":"application/json","pubsubname":"pubsub","topic":"licenses.license-issued.v1",
             "traceid":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01","data":{"licenseNo":"L-1"}}
            """;

        var envelope = CloudEventFormat.Read(Encoding.UTF8.GetBytes(json));

        Assert.Equal("licenses", envelope.Source);
        Assert.Null(envelope.Time);
        Assert.Equal("L-1", envelope.Data.GetProperty("licenseNo").GetString());
    }

    [Fact]
    public void The_envelope_is_byte_for_byte_what_a_plain_utf8_json_writer_produces()
    {
        var evt = new SampleSubmittedIntegrationEvent("松江-1 <a&b> \"quoted\" é");
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        var written = CloudEventFormat.Write(evt, "tests.sample-submitted.v1", "cases-api", traceParent, "vendor=1,other=+2");

        Assert.Equal(
            Encoding.UTF8.GetString(ReferenceEnvelope(evt, "tests.sample-submitted.v1", "cases-api", traceParent, "vendor=1,other=+2")),
            Encoding.UTF8.GetString(written));
    }

    [Fact]
    public void A_payload_larger_than_the_first_pooled_buffer_is_written_whole()
    {
        var evt = new SampleSubmittedIntegrationEvent(string.Concat(Enumerable.Repeat("松江 reference ", 20_000)));
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        Assert.Equal(
            ReferenceEnvelope(evt, "tests.sample-submitted.v1", "cases", traceParent, null),
            CloudEventFormat.Write(evt, "tests.sample-submitted.v1", "cases", traceParent, null));
    }

    [Fact]
    public void Without_a_trace_context_each_envelope_starts_a_fresh_unsampled_trace()
    {
        var type = EventTypeMetadata.Of(typeof(SampleSubmittedIntegrationEvent));
        var source = JsonEncodedText.Encode("cases");

        using var first = CloudEventFormat.WriteRented(new SampleSubmittedIntegrationEvent("SJ-1"), type, source, trace: null);
        using var second = CloudEventFormat.WriteRented(new SampleSubmittedIntegrationEvent("SJ-2"), type, source, trace: null);

        var traceParents = new[] { first, second }.Select(e => CloudEventFormat.Parse(e.Memory).TraceParent!).ToArray();
        Assert.All(traceParents, t => Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-00$", t));
        Assert.All(traceParents, t => Assert.True(ActivityContext.TryParse(t, null, out var context) && context.TraceFlags == ActivityTraceFlags.None));
        Assert.NotEqual(traceParents[0][3..35], traceParents[1][3..35]);
    }

    [Fact]
    public void A_publish_span_becomes_the_traceparent_with_its_trace_state()
    {
        using var activity = new Activity("publish").SetIdFormat(ActivityIdFormat.W3C).Start();
        activity.TraceStateString = "vendor=1";

        using var envelope = CloudEventFormat.WriteRented(
            new SampleSubmittedIntegrationEvent("SJ-1"), EventTypeMetadata.Of(typeof(SampleSubmittedIntegrationEvent)), JsonEncodedText.Encode("cases"), activity);

        var parsed = CloudEventFormat.Parse(envelope.Memory);
        Assert.Equal(activity.Id, parsed.TraceParent);
        Assert.Equal("vendor=1", parsed.TraceState);
    }

    [Fact]
    public void Envelopes_written_one_after_another_on_one_thread_keep_their_own_bytes()
    {
        var type = EventTypeMetadata.Of(typeof(SampleSubmittedIntegrationEvent));
        var source = JsonEncodedText.Encode("cases");
        var first = new SampleSubmittedIntegrationEvent("FIRST");

        using var kept = CloudEventFormat.WriteRented(first, type, source, trace: null);
        var copy = kept.Span.ToArray();
        for (var i = 0; i < 10; i++)
        {
            using var other = CloudEventFormat.WriteRented(new SampleSubmittedIntegrationEvent($"OTHER-{i}"), type, source, trace: null);
        }

        Assert.Equal(copy, kept.Span.ToArray());
        Assert.Equal(first.Id.ToString(), CloudEventFormat.Parse(kept.Memory).Id);
    }

    [Fact]
    public void A_payload_that_cannot_be_serialised_fails_and_leaves_the_writer_usable()
    {
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        Assert.Throws<NotSupportedException>(() =>
            CloudEventFormat.Write(new UnserialisableIntegrationEvent(typeof(string)), "tests.unserialisable.v1", "cases", traceParent, null));

        var evt = new SampleSubmittedIntegrationEvent("SJ-AFTER");
        Assert.Equal(
            ReferenceEnvelope(evt, "tests.sample-submitted.v1", "cases", traceParent, null),
            CloudEventFormat.Write(evt, "tests.sample-submitted.v1", "cases", traceParent, null));
    }

    [Theory]
    [InlineData("""{"data":{"id":"inner","nested":[1,{"type":"x"}]},"specversion":"1.0","id":"outer","source":"a","type":"t"}""", """{"id":"inner","nested":[1,{"type":"x"}]}""")]
    [InlineData("""{"specversion":"1.0","id":"outer","source":"a","type":"t","data": "text" }""", "\"text\"")]
    [InlineData("""{"specversion":"1.0","id":"outer","source":"a","type":"t","data":[1, 2]}""", "[1, 2]")]
    [InlineData("""{"specversion":"1.0","id":"outer","source":"a","type":"t","data":42}""", "42")]
    public void Data_is_the_exact_json_of_the_top_level_data_attribute(string body, string data)
    {
        var envelope = CloudEventFormat.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Equal("outer", envelope.Id);
        Assert.Equal("t", envelope.Type);
        Assert.Equal(data, Encoding.UTF8.GetString(envelope.Data.Span));
    }

    [Fact]
    public void A_repeated_attribute_takes_its_last_value_and_escaped_names_are_recognised()
    {
        const string json = """{"specversion":"1.0","id":"first","id":"second","source":"a","type":"t","time":"not checked yet","time":null,"data":{}}""";

        var envelope = CloudEventFormat.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Equal("second", envelope.Id);
        Assert.Null(envelope.Time);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"specversion":"0.3","id":"1","source":"a","type":"t","data":{}}""")]
    [InlineData("""{"specversion":"1.0","source":"a","type":"t","data":{}}""")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"a","type":"t"}""")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"a","type":"t","time":"yesterday","data":{}}""")]
    [InlineData("")]
    [InlineData("""{"specversion":"1.0","id":"","source":"a","type":"t","data":{}}""")]
    [InlineData("""{"specversion":"1.0","id":1,"source":"a","type":"t","data":{}}""")]
    [InlineData("""{"specversion":1.0,"id":"1","source":"a","type":"t","data":{}}""")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"a","type":"t","data":{"a":""")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"a","type":"t","data":{}} {}""")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"a","type":"t","data":{}} trailing""")]
    public void A_body_that_is_not_a_valid_cloudevent_is_rejected(string body)
    {
        Assert.Throws<InvalidEnvelopeException>(() => CloudEventFormat.Parse(Encoding.UTF8.GetBytes(body)));
        Assert.Throws<InvalidEnvelopeException>(() => CloudEventFormat.Read(Encoding.UTF8.GetBytes(body)));
    }

    [Theory]
    [InlineData("cases.application-submitted.v1")]
    [InlineData("licenses.license.revoked.v12")]
    public void A_versioned_dotted_topic_is_accepted(string topic) =>
        Assert.Equal(topic, new IntegrationEventAttribute(topic).Topic);

    [Theory]
    [InlineData("ApplicationSubmitted")]
    [InlineData("cases.application-submitted")]
    [InlineData("Cases.ApplicationSubmitted.v1")]
    [InlineData("v1")]
    public void A_topic_without_area_name_and_version_is_refused(string topic) =>
        Assert.Throws<ArgumentException>(() => new IntegrationEventAttribute(topic));

    [Fact]
    public void An_event_type_without_a_topic_cannot_be_published() =>
        Assert.Throws<InvalidOperationException>(() => IntegrationEventAttribute.TopicOf(typeof(UntitledIntegrationEvent)));

    /// <summary>
    /// The envelope as written before the hot path was tuned (a fresh writer, names and values as strings, the payload
    /// serialised by its runtime type): what Dapr-side consumers have been reading, so the bytes must not change.
    /// </summary>
    private static byte[] ReferenceEnvelope(IntegrationEvent evt, string topic, string source, string traceParent, string? traceState)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("specversion", "1.0");
            writer.WriteString("id", evt.Id.ToString());
            writer.WriteString("source", source);
            writer.WriteString("type", topic);
            writer.WriteString("time", evt.OccurredAt.UtcDateTime);
            writer.WriteString("datacontenttype", "application/json");
            writer.WriteString("topic", topic);
            writer.WriteString("traceparent", traceParent);
            if (!string.IsNullOrEmpty(traceState))
            {
                writer.WriteString("tracestate", traceState);
            }

            writer.WritePropertyName("data");
            JsonSerializer.Serialize(writer, evt, evt.GetType(), new JsonSerializerOptions(JsonSerializerDefaults.Web));
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private sealed record UntitledIntegrationEvent : IntegrationEvent;

    [IntegrationEvent("tests.unserialisable.v1")]
    private sealed record UnserialisableIntegrationEvent(Type Kind) : IntegrationEvent;
}
