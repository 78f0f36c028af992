using Songjiang.EventBus.Tests.Support;

namespace Songjiang.EventBus.Tests.Dispatching;

public sealed class EventSubscriptionsTests
{
    [Fact]
    public void A_handlers_consumer_name_is_the_app_id_and_its_full_type_name_for_every_app()
    {
        var subscriptions = new EventSubscriptions();
        subscriptions.Add<SampleSubmittedIntegrationEvent, SampleHandler>();
        var handler = Assert.Single(subscriptions.Find("tests.sample-submitted.v1")!.Handlers);

        Assert.Equal("cases/Songjiang.EventBus.Tests.Support.SampleHandler", handler.ConsumerName("cases"));
        Assert.Same(handler.ConsumerName("cases"), handler.ConsumerName("cases"));
        Assert.Equal("licenses/Songjiang.EventBus.Tests.Support.SampleHandler", handler.ConsumerName("licenses"));
    }

    [Fact]
    public void A_subscription_knows_its_event_types_topic_and_payload_contract()
    {
        var subscriptions = new EventSubscriptions();
        subscriptions.Add<SampleSubmittedIntegrationEvent, SampleHandler>();

        var metadata = subscriptions.Find("tests.sample-submitted.v1")!.Metadata;

        Assert.Equal("tests.sample-submitted.v1", metadata.Topic);
        Assert.Equal(typeof(SampleSubmittedIntegrationEvent), metadata.Contract.Type);
        Assert.Equal("tests.sample-submitted.v1 process", metadata.ProcessActivityName);
        Assert.Same(metadata, EventTypeMetadata.Of(typeof(SampleSubmittedIntegrationEvent)));
    }
}
