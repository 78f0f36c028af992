using System.Text;
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

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"specversion":"0.3","id":"1","source":"a","type":"t","data":{}}""")]
    [InlineData("""{"specversion":"1.0","source":"a","type":"t","data":{}}""")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"a","type":"t"}""")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"a","type":"t","time":"yesterday","data":{}}""")]
    public void A_body_that_is_not_a_valid_cloudevent_is_rejected(string body) =>
        Assert.Throws<InvalidEnvelopeException>(() => CloudEventFormat.Read(Encoding.UTF8.GetBytes(body)));

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

    private sealed record UntitledIntegrationEvent : IntegrationEvent;
}
