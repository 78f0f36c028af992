using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Songjiang.EventBus.Tests.Support;

namespace Songjiang.EventBus.Tests.RabbitMQ;

/// <summary>What must survive on a real broker: restarts, dying consumers, and an outage at commit time.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class RabbitMqResilienceTests(RabbitMqFixture broker)
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_event_committed_before_and_during_a_broker_restart_is_delivered_after_it()
    {
        await using var consumer = await StartAsync("consumer");
        await using var producer = await StartAsync("producer", subscribes: false);
        var committed = new ConcurrentBag<Guid>();
        using var producing = new CancellationTokenSource();
        var producerLoop = ProduceAsync(producer, committed, producing.Token);

        await Eventually.HoldsAsync(() => consumer.Script.Handled.Count >= 20, Recovery, "events flow before the restart");
        await broker.StopBrokerAsync();
        var committedBeforeOutage = committed.Count;
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        await broker.StartBrokerAsync();
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        await producing.CancelAsync();
        await producerLoop;

        Assert.True(committed.Count > committedBeforeOutage, "events were committed while the broker was down");
        var expected = committed.ToHashSet();
        await Eventually.HoldsAsync(() => expected.IsSubsetOf(consumer.Script.Handled), Recovery, $"all {expected.Count} committed events are delivered");
        foreach (var id in expected.Take(50))
        {
            Assert.Equal(1, await consumer.CommittedEffectsAsync(id));
        }
    }

    [Fact]
    public async Task A_message_whose_consumer_dies_mid_handling_is_redelivered()
    {
        // Replicas share a PostgreSQL database: on SQLite the stuck handler's transaction would hold the only write
        // lock, which a killed process releases but this in-process stand-in cannot.
        await using var database = TestDatabase.Postgres();
        var appId = $"consumer-{Guid.NewGuid():N}"[..20];
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stuck = new HandlerScript { Gate = gate };
        await using var dying = await StartAsync(appId, database: database, script: stuck, exactId: true);
        await using var replica = await StartAsync(appId, database: database, exactId: true);
        await using var producer = await StartAsync("producer", subscribes: false);
        var evt = new SampleSubmittedIntegrationEvent("SJ-KILL");

        try
        {
            await producer.Services.GetRequiredService<IEventBus>().PublishAsync(evt, TestContext.Current.CancellationToken);
            await Eventually.HoldsAsync(() => stuck.Attempts.Contains(evt.Id), Recovery, "a replica is in the middle of the message");
            await broker.KillConnectionAsync(dying.Services.GetRequiredService<RabbitMqConnections>().Consumer.Name);

            // The broker hands the message out again: to the other replica, or to the same one once its client reconnects.
            await Eventually.HoldsAsync(
                () => replica.Script.Handled.Contains(evt.Id) || stuck.Handled.Contains(evt.Id), Recovery, "the message is redelivered and handled");
            Assert.Equal(1, await replica.CommittedEffectsAsync(evt.Id));
        }
        finally
        {
            // The stuck handler of the killed connection ends without effect: its transaction rolls back.
            gate.TrySetException(new OperationCanceledException("The process was killed."));
        }
    }

    [Fact]
    public async Task A_handler_that_finishes_after_its_connection_was_replaced_leaves_the_new_channel_consuming()
    {
        // The acknowledgement of a delivery from the lost connection carries a tag the recovered channel never gave out;
        // sent as it is, the broker would close the channel (406) or, worse, settle another message with that number.
        // The client library drops such stale tags; the bus relies on it.
        await using var database = TestDatabase.Postgres();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var script = new HandlerScript { Gate = gate };
        await using var consumer = await StartAsync("stale", database: database, script: script);
        await using var producer = await StartAsync("producer", subscribes: false);
        var connection = consumer.Services.GetRequiredService<RabbitMqConnections>().Consumer;
        var recovered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        (await connection.GetAsync(TestContext.Current.CancellationToken)).RecoverySucceededAsync += (_, _) =>
        {
            recovered.TrySetResult();
            return Task.CompletedTask;
        };
        var evt = new SampleSubmittedIntegrationEvent("SJ-STALE");

        try
        {
            await producer.CommitAsync(evt);
            await Eventually.HoldsAsync(() => script.Attempts.Contains(evt.Id), Recovery, "the handler is in the middle of the message");
            await broker.KillConnectionAsync(connection.Name);
            await recovered.Task.WaitAsync(Recovery, TestContext.Current.CancellationToken);
            await Eventually.HoldsAsync(() => script.Attempts.Count(id => id == evt.Id) >= 2, TimeSpan.FromSeconds(5), "the broker redelivers it")
                .ContinueWith(_ => { }, TaskScheduler.Default);
        }
        finally
        {
            // The first handling now finishes and settles its delivery with the old connection's tag.
            gate.TrySetResult();
        }

        await Eventually.HoldsAsync(() => script.Handled.Contains(evt.Id), Recovery, "the event is handled");
        var later = new SampleSubmittedIntegrationEvent("SJ-STALE-2");
        await producer.CommitAsync(later);
        await Eventually.HoldsAsync(() => script.Handled.Contains(later.Id), Recovery, "an event published afterwards is handled");
        Assert.Equal(1, await consumer.CommittedEffectsAsync(evt.Id));
        Assert.True(consumer.Services.GetRequiredService<RabbitMqConsumerService>().Channel!.IsOpen, "the recovered channel is still open");
        var health = await consumer.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Healthy, health.Status);
    }

    [Fact]
    public async Task An_event_committed_while_the_broker_is_down_is_sent_once_it_is_back()
    {
        await using var consumer = await StartAsync("consumer");
        await using var producer = await StartAsync("producer", subscribes: false);
        var evt = new SampleSubmittedIntegrationEvent("SJ-OUTAGE");

        await broker.StopBrokerAsync();
        try
        {
            await producer.CommitAsync(evt);
            await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
            Assert.DoesNotContain(evt.Id, consumer.Script.Handled);
        }
        finally
        {
            await broker.StartBrokerAsync();
        }

        await Eventually.HoldsAsync(() => consumer.Script.Handled.Contains(evt.Id), Recovery, "the outbox sends the event after the outage");
        Assert.Equal(1, await consumer.CommittedEffectsAsync(evt.Id));
    }

    [Fact]
    public async Task An_outage_longer_than_the_publish_timeout_leaves_the_event_in_the_outbox_and_the_service_running()
    {
        await using var consumer = await StartAsync("consumer");
        await using var producer = await StartAsync("producer", subscribes: false, settings: new()
        {
            ["EventBus:RabbitMQ:PublishTimeout"] = "00:00:02",
            ["EventBus:RabbitMQ:RecoveryInterval"] = "00:00:00.500",
        });
        var stopping = producer.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var evt = new SampleSubmittedIntegrationEvent("SJ-LONG-OUTAGE");

        await broker.StopBrokerAsync();
        try
        {
            await producer.CommitAsync(evt);
            // Several publish timeouts pass while the relay keeps retrying.
            await Task.Delay(TimeSpan.FromSeconds(8), TestContext.Current.CancellationToken);
            Assert.False(stopping.IsCancellationRequested, "the service stopped because the broker stayed away");
        }
        finally
        {
            await broker.StartBrokerAsync();
        }

        await Eventually.HoldsAsync(() => consumer.Script.Handled.Contains(evt.Id), Recovery, "the outbox sends the event after the outage");
        Assert.False(stopping.IsCancellationRequested);
        Assert.Equal(1, await consumer.CommittedEffectsAsync(evt.Id));
    }

    [Fact]
    public async Task A_consumer_channel_the_broker_closes_while_the_connection_stays_up_is_subscribed_again()
    {
        await using var consumer = await StartAsync("consumer", settings: new() { ["EventBus:RabbitMQ:RecoveryInterval"] = "00:00:02" });
        await using var producer = await StartAsync("producer", subscribes: false);
        var service = consumer.Services.GetRequiredService<RabbitMqConsumerService>();
        var health = consumer.Services.GetRequiredService<HealthCheckService>();
        var channel = service.Channel!;

        // An acknowledgement of a delivery the channel never had: the broker closes the channel (406 PRECONDITION_FAILED)
        // and leaves the connection open, which the client library does not recover by itself.
        await channel.BasicAckAsync(999_999, multiple: false, TestContext.Current.CancellationToken);
        await Eventually.HoldsAsync(() => !channel.IsOpen, Recovery, "the broker closes the channel");
        Assert.True(consumer.Services.GetRequiredService<RabbitMqConnections>().Consumer.IsOpen);
        var degraded = await health.CheckHealthAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Contains("Not consuming", degraded.Entries["eventbus-rabbitmq"].Description, StringComparison.Ordinal);

        await Eventually.HoldsAsync(() => service.IsConsuming, Recovery, "the consumer subscribes again");
        var evt = new SampleSubmittedIntegrationEvent("SJ-CHANNEL");
        await producer.CommitAsync(evt);
        await Eventually.HoldsAsync(() => consumer.Script.Handled.Contains(evt.Id), Recovery, "an event published afterwards is handled");
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(TestContext.Current.CancellationToken)).Status);
    }

    private static async Task ProduceAsync(TestApp producer, ConcurrentBag<Guid> committed, CancellationToken ct)
    {
        for (var i = 0; !ct.IsCancellationRequested; i++)
        {
            var evt = new SampleSubmittedIntegrationEvent($"SJ-R{i:D5}");
            await producer.CommitAsync(evt);
            committed.Add(evt.Id);
            await Task.Delay(10, CancellationToken.None);
        }
    }

    private async Task<TestApp> StartAsync(
        string role, bool subscribes = true, TestDatabase? database = null, HandlerScript? script = null, bool exactId = false,
        Dictionary<string, string?>? settings = null)
    {
        broker.RequireServer();
        return await TestApp.StartAsync(new TestAppOptions(exactId ? role : $"{role}-{Guid.NewGuid():N}"[..20], broker)
        {
            Subscribes = subscribes,
            Database = database,
            Script = script ?? new HandlerScript(),
            Settings = settings ?? [],
        });
    }
}
