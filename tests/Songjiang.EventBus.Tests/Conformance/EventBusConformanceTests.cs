using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Songjiang.EventBus.Tests.Support;

namespace Songjiang.EventBus.Tests.Conformance;

/// <summary>
/// The behaviour every transport promises, so a service behaves the same embedded, on RabbitMQ and behind Dapr.
/// Each test uses fresh application ids, so its queues are its own.
/// </summary>
public abstract class EventBusConformanceTests<TFixture>(TFixture transport)
    where TFixture : TransportFixture
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_published_event_reaches_the_subscribed_handler()
    {
        await using var consumer = await StartAsync("consumer");
        await using var publisher = await StartAsync("publisher", subscribes: false);
        var evt = new SampleSubmittedIntegrationEvent("SJ-0001");

        await publisher.Services.GetRequiredService<IEventBus>().PublishAsync(evt, TestContext.Current.CancellationToken);

        await Eventually.HoldsAsync(() => consumer.Script.Handled.Contains(evt.Id), Patience, "the consumer handles the event");
        Assert.Equal(1, await consumer.CommittedEffectsAsync(evt.Id));
    }

    [Fact]
    public async Task Every_subscribed_application_gets_its_own_copy()
    {
        await using var cases = await StartAsync("cases");
        await using var licenses = await StartAsync("licenses");
        await using var publisher = await StartAsync("publisher", subscribes: false);
        var evt = new SampleSubmittedIntegrationEvent("SJ-0002");

        await publisher.Services.GetRequiredService<IEventBus>().PublishAsync(evt, TestContext.Current.CancellationToken);

        await Eventually.HoldsAsync(
            () => cases.Script.Handled.Contains(evt.Id) && licenses.Script.Handled.Contains(evt.Id), Patience, "both applications handle it");
        Assert.Equal(1, await cases.CommittedEffectsAsync(evt.Id));
        Assert.Equal(1, await licenses.CommittedEffectsAsync(evt.Id));
    }

    [Fact]
    public async Task Every_event_of_a_burst_arrives_whatever_the_order()
    {
        await using var consumer = await StartAsync("consumer");
        await using var publisher = await StartAsync("publisher", subscribes: false);
        var bus = publisher.Services.GetRequiredService<IEventBus>();
        var events = Enumerable.Range(0, 60).Select(i => new SampleSubmittedIntegrationEvent($"SJ-B{i:D3}")).ToArray();

        await Task.WhenAll(events.Select(e => bus.PublishAsync(e, TestContext.Current.CancellationToken)));

        var expected = events.Select(e => e.Id).ToHashSet();
        await Eventually.HoldsAsync(() => expected.IsSubsetOf(consumer.Script.Handled), Patience, "all 60 events are handled");
        Assert.Equal(expected.Count, consumer.Script.Handled.Distinct().Count());
    }

    [Fact]
    public async Task A_failing_event_is_retried_then_dead_lettered_and_can_be_replayed()
    {
        await using var consumer = await StartAsync("consumer", script: new HandlerScript { FailingPrefix = "POISON" });
        await using var publisher = await StartAsync("publisher", subscribes: false);
        var bus = publisher.Services.GetRequiredService<IEventBus>();
        var store = consumer.Services.GetRequiredService<IDeadLetterStore>();
        var poison = new SampleSubmittedIntegrationEvent("POISON-1");
        var healthy = new SampleSubmittedIntegrationEvent("SJ-0003");

        await bus.PublishAsync(poison, TestContext.Current.CancellationToken);
        await bus.PublishAsync(healthy, TestContext.Current.CancellationToken);

        var poisonId = poison.Id.ToString();
        await Eventually.HoldsAsync(() => DeadLetterIds(store).Contains(poisonId), Patience, "the failing event is dead-lettered");
        await Eventually.HoldsAsync(() => consumer.Script.Handled.Contains(healthy.Id), Patience, "the healthy event is not held up");
        Assert.Equal(1 + TransportFixture.MaxRetries, consumer.Script.Attempts.Count(id => id == poison.Id));
        var deadLetter = Assert.Single(await store.ListAsync(100, TestContext.Current.CancellationToken), d => d.MessageId == poisonId);
        Assert.Equal("tests.sample-submitted.v1", deadLetter.Topic);
        Assert.Equal(poisonId, JsonDocument.Parse(deadLetter.Envelope).RootElement.GetProperty("id").GetString());

        consumer.Script.FailingPrefix = null;
        Assert.True(await store.ReplayAsync(poisonId, TestContext.Current.CancellationToken));

        await Eventually.HoldsAsync(() => consumer.Script.Handled.Contains(poison.Id), Patience, "the replayed event is handled");
        Assert.DoesNotContain(poisonId, DeadLetterIds(store));
        Assert.False(await store.ReplayAsync(poisonId, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_redelivered_event_has_its_effect_once()
    {
        await using var consumer = await StartAsync("consumer");
        await using var publisher = await StartAsync("publisher", subscribes: false);
        using var delivered = new DeliveryMeter(consumer.Options.AppId);
        var bus = publisher.Services.GetRequiredService<IEventBus>();
        var evt = new SampleSubmittedIntegrationEvent("SJ-0004");

        await bus.PublishAsync(evt, TestContext.Current.CancellationToken);
        await bus.PublishAsync(evt, TestContext.Current.CancellationToken);

        await Eventually.HoldsAsync(() => delivered.Count >= 2, Patience, "both deliveries are acknowledged");
        Assert.Single(consumer.Script.Handled, id => id == evt.Id);
        Assert.Equal(1, await consumer.CommittedEffectsAsync(evt.Id));
    }

    [Fact]
    public async Task The_wire_format_is_a_valid_structured_cloudevent()
    {
        await using var publisher = await StartAsync("publisher", subscribes: false);
        var bus = publisher.Services.GetRequiredService<IEventBus>();
        var evt = new SampleSubmittedIntegrationEvent("SJ-0005");
        using var request = new Activity("incoming request").SetIdFormat(ActivityIdFormat.W3C).Start();

        var envelope = await transport.CaptureEnvelopeAsync(
            "tests.sample-submitted.v1", () => bus.PublishAsync(evt, TestContext.Current.CancellationToken));

        Assert.Equal("1.0", envelope.GetProperty("specversion").GetString());
        Assert.Equal(evt.Id.ToString(), envelope.GetProperty("id").GetString());
        Assert.Equal(publisher.Options.AppId, envelope.GetProperty("source").GetString());
        Assert.Equal("tests.sample-submitted.v1", envelope.GetProperty("type").GetString());
        Assert.Equal("application/json", envelope.GetProperty("datacontenttype").GetString());
        Assert.Equal(evt.OccurredAt, envelope.GetProperty("time").GetDateTimeOffset());
        Assert.EndsWith("Z", envelope.GetProperty("time").GetString(), StringComparison.Ordinal);
        Assert.Matches($"^00-{request.TraceId}-[0-9a-f]{{16}}-0[01]$", envelope.GetProperty("traceparent").GetString());
        var data = envelope.GetProperty("data");
        Assert.Equal("SJ-0005", data.GetProperty("reference").GetString());
        Assert.Equal(evt.Id, data.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task The_handler_runs_in_a_consumer_span_that_continues_the_publishers_trace()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == EventBusDiagnostics.Name,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var consumer = await StartAsync("consumer");
        await using var publisher = await StartAsync("publisher", subscribes: false);
        var evt = new SampleSubmittedIntegrationEvent("SJ-0006");
        using var request = new Activity("incoming request").SetIdFormat(ActivityIdFormat.W3C).Start();

        await publisher.Services.GetRequiredService<IEventBus>().PublishAsync(evt, TestContext.Current.CancellationToken);
        request.Stop();

        Activity? Span(string name) => stopped.SingleOrDefault(a => a.OperationName == name && a.TraceId == request.TraceId);
        await Eventually.HoldsAsync(() => Span("tests.sample-submitted.v1 process") is not null, Patience, "the consumer span ends");
        var publish = Span("tests.sample-submitted.v1 publish")!;
        var process = Span("tests.sample-submitted.v1 process")!;
        Assert.Equal(request.SpanId, publish.ParentSpanId);
        Assert.Equal(ActivityKind.Producer, publish.Kind);
        Assert.Equal(transport.HopAfter(publish.SpanId) ?? publish.SpanId, process.ParentSpanId);
        Assert.Equal(ActivityKind.Consumer, process.Kind);
        Assert.Equal(evt.Id.ToString(), process.GetTagItem("messaging.message.id"));
        Assert.Equal("tests.sample-submitted.v1", process.GetTagItem("messaging.destination.name"));
    }

    private async Task<TestApp> StartAsync(string role, bool subscribes = true, HandlerScript? script = null)
    {
        transport.RequireServer();
        return await TestApp.StartAsync(new TestAppOptions($"{role}-{Guid.NewGuid():N}"[..20], transport)
        {
            Subscribes = subscribes,
            Script = script ?? new HandlerScript(),
        });
    }

    private static string[] DeadLetterIds(IDeadLetterStore store) =>
        store.ListAsync(100, CancellationToken.None).GetAwaiter().GetResult().Select(d => d.MessageId).ToArray();
}

public sealed class InMemoryConformanceTests(InMemoryFixture transport)
    : EventBusConformanceTests<InMemoryFixture>(transport), IClassFixture<InMemoryFixture>;

[Collection(RabbitMqCollection.Name)]
public sealed class RabbitMqConformanceTests(RabbitMqFixture transport)
    : EventBusConformanceTests<RabbitMqFixture>(transport);

public sealed class DaprConformanceTests(DaprFixture transport)
    : EventBusConformanceTests<DaprFixture>(transport), IClassFixture<DaprFixture>;
