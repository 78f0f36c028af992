namespace Songjiang.EventBus.Tests.Support;

[IntegrationEvent("tests.sample-submitted.v1")]
public sealed record SampleSubmittedIntegrationEvent(string Reference) : IntegrationEvent;
