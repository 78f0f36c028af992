using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Songjiang.EventBus.Tests.Support;

namespace Songjiang.EventBus.Tests.Interop;

/// <summary>
/// A service on the RabbitMQ transport and one behind a Dapr sidecar share one broker: whichever declares a queue first,
/// the other subscribes, and a message as a sidecar publishes it is handled like our own.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class DaprRabbitMqInteropTests(RabbitMqFixture broker)
{
    private const string Topic = "tests.sample-submitted.v1";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly DaprRabbitMqComponent _dapr = DaprRabbitMqComponent.FromRepository();

    [Fact]
    public async Task The_transport_consumes_the_queues_a_Dapr_sidecar_declared_first()
    {
        broker.RequireServer();
        var appId = NewAppId("consumer");
        await using (var connection = await broker.ConnectAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            await _dapr.DeclareSubscriptionAsync(channel, appId, Topic);
        }

        await using var consumer = await StartAsync(appId);
        await using var publisher = await StartAsync(NewAppId("publisher"), subscribes: false);
        var evt = new SampleSubmittedIntegrationEvent("SJ-DAPR-FIRST");
        await publisher.Services.GetRequiredService<IEventBus>().PublishAsync(evt, TestContext.Current.CancellationToken);

        Assert.Equal(1, await consumer.CommittedEffectsAsync(evt.Id));
    }

    [Fact]
    public async Task A_Dapr_sidecar_subscribes_to_the_queues_the_transport_declared_first()
    {
        var appId = NewAppId("consumer");
        await using var consumer = await StartAsync(appId);
        await using var connection = await broker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();

        await _dapr.DeclareSubscriptionAsync(channel, appId, Topic);

        Assert.True(channel.IsOpen, "the broker accepted every declaration of the sidecar");
        var queue = await channel.QueueDeclarePassiveAsync($"{appId}-{Topic}");
        Assert.Equal(1u, queue.ConsumerCount);
    }

    [Fact]
    public async Task A_dead_letter_queue_declared_without_Daprs_lazy_mode_is_refused_by_the_broker()
    {
        // The declaration the transport used to make: it shows the broker does check the arguments these tests rely on.
        broker.RequireServer();
        var appId = NewAppId("consumer");
        await using var connection = await broker.ConnectAsync();
        await using (var channel = await connection.CreateChannelAsync())
        {
            await _dapr.DeclareSubscriptionAsync(channel, appId, Topic);
        }

        await using var plain = await connection.CreateChannelAsync();
        var refused = await Assert.ThrowsAsync<OperationInterruptedException>(
            () => plain.QueueDeclareAsync($"dlq-{appId}-{Topic}", durable: true, exclusive: false, autoDelete: false));
        Assert.Contains("x-queue-mode", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_event_published_through_a_Dapr_sidecar_is_handled_once_in_the_sidecars_trace()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == EventBusDiagnostics.Name,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var consumer = await StartAsync(NewAppId("consumer"));
        using var delivered = new DeliveryMeter(consumer.Options.AppId);
        var evt = new SampleSubmittedIntegrationEvent("SJ-SIDECAR");
        var publisherTrace = CloudEventFormat.TraceParentOf(null);

        await using var connection = await broker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        string[] sidecarSpans =
        [
            await _dapr.PublishAsSidecarAsync(channel, Topic, Envelope(evt, publisherTrace)),
            await _dapr.PublishAsSidecarAsync(channel, Topic, Envelope(evt, publisherTrace)),
        ];

        await Eventually.HoldsAsync(() => delivered.Count >= 2, Patience, "both copies are acknowledged");
        Assert.Equal(1, await consumer.CommittedEffectsAsync(evt.Id));
        Assert.Single(consumer.Script.Handled, id => id == evt.Id);
        // Each copy is processed as a child of the sidecar span that published it; which copy finishes first is not fixed.
        var processes = stopped.Where(a => a.OperationName == $"{Topic} process" && a.GetTagItem("messaging.message.id") as string == evt.Id.ToString()).ToList();
        Assert.NotEmpty(processes);
        Assert.All(processes, process =>
        {
            Assert.Equal(sidecarSpans[0][3..35], process.TraceId.ToHexString());
            Assert.Contains(process.ParentSpanId.ToHexString(), sidecarSpans.Select(span => span[36..52]));
        });
    }

    [Fact]
    public async Task An_event_from_a_Dapr_sidecar_is_dead_lettered_and_replayed_by_its_envelope_id()
    {
        await using var consumer = await StartAsync(NewAppId("consumer"), new HandlerScript { FailingPrefix = "POISON" });
        var store = consumer.Services.GetRequiredService<IDeadLetterStore>();
        var poison = new SampleSubmittedIntegrationEvent("POISON-SIDECAR");
        await using (var connection = await broker.ConnectAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            await _dapr.PublishAsSidecarAsync(channel, Topic, Envelope(poison, CloudEventFormat.TraceParentOf(null)));
        }

        var poisonId = poison.Id.ToString();
        await Eventually.HoldsAsync(
            async () => (await store.ListAsync(10, CancellationToken.None)).Any(d => d.MessageId == poisonId), Patience, "it is listed by its event id");
        consumer.Script.FailingPrefix = null;
        Assert.True(await store.ReplayAsync(poisonId, TestContext.Current.CancellationToken));

        Assert.Equal(1, await consumer.CommittedEffectsAsync(poison.Id));
    }

    private static JsonObject Envelope(SampleSubmittedIntegrationEvent evt, string traceParent) =>
        JsonNode.Parse(CloudEventFormat.Write(evt, Topic, "publisher-behind-dapr", traceParent, null))!.AsObject();

    private static string NewAppId(string role) => $"{role}-{Guid.NewGuid():N}"[..20];

    private Task<TestApp> StartAsync(string appId, HandlerScript? script = null, bool subscribes = true)
    {
        broker.RequireServer();
        return TestApp.StartAsync(new TestAppOptions(appId, broker) { Subscribes = subscribes, Script = script ?? new HandlerScript() });
    }
}
