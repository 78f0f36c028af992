using System.Text.Json;
using Songjiang.EventBus.Tests.Support;

namespace Songjiang.EventBus.Tests.InMemory;

public sealed class InMemoryTransportTests
{
    [Fact]
    public async Task A_queued_message_keeps_its_envelope_after_the_publisher_reused_its_buffer()
    {
        var transport = new InMemoryFixture();
        var probe = transport.Broker.Bind("probe", "tests.sample-submitted.v1");
        await using var publisher = await TestApp.StartAsync(new TestAppOptions($"publisher-{Guid.NewGuid():N}"[..20], transport) { Subscribes = false });
        var bus = publisher.Services.GetRequiredService<IEventBus>();
        var events = Enumerable.Range(0, 20).Select(i => new SampleSubmittedIntegrationEvent($"SJ-{i:D2}")).ToArray();

        foreach (var evt in events)
        {
            await bus.PublishAsync(evt, TestContext.Current.CancellationToken);
        }

        foreach (var evt in events)
        {
            var message = await probe.DequeueAsync(TestContext.Current.CancellationToken);
            var envelope = JsonDocument.Parse(message.Body).RootElement;
            Assert.Equal(evt.Id.ToString(), message.MessageId);
            Assert.Equal(evt.Id.ToString(), envelope.GetProperty("id").GetString());
            Assert.Equal(evt.Reference, envelope.GetProperty("data").GetProperty("reference").GetString());
        }
    }
}
