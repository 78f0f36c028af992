using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Songjiang.EventBus.Tests.Support;

namespace Songjiang.EventBus.Tests.Outbox;

/// <summary>The outbox on both supported databases, observed through an in-process probe queue.</summary>
public sealed class OutboxRelayTests
{
    private const string Topic = "tests.sample-submitted.v1";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Events_saved_before_a_crash_are_published_when_the_service_starts_again(bool postgres)
    {
        await using var database = postgres ? TestDatabase.Postgres() : TestDatabase.Sqlite();
        var transport = new InMemoryFixture();
        var probe = transport.Broker.Bind("probe", Topic);
        var evt = new SampleSubmittedIntegrationEvent("SJ-CRASH");

        await using var app = await TestApp.StartAsync(Options(transport, database), beforeStart: app => app.CommitAsync(evt));

        Assert.Equal(evt.Id.ToString(), (await ProbeQueue.ReceiveAsync(probe, Patience)).MessageId);
        await Eventually.HoldsAsync(async () => (await app.OutboxRowAsync(evt.Id)).SentAt is not null, Patience, "the row is marked sent");
    }

    [Fact]
    public async Task An_event_whose_transaction_rolls_back_is_never_published()
    {
        var transport = new InMemoryFixture();
        var probe = transport.Broker.Bind("probe", Topic);
        await using var app = await TestApp.StartAsync(Options(transport, database: null));
        var rolledBack = new SampleSubmittedIntegrationEvent("SJ-ROLLBACK");
        var committed = new SampleSubmittedIntegrationEvent("SJ-COMMIT");

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);
            scope.ServiceProvider.GetRequiredService<IOutbox<TestDbContext>>().Add(rolledBack);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            await transaction.RollbackAsync(TestContext.Current.CancellationToken);
        }

        await app.CommitAsync(committed);

        // The committed event was saved after the rolled-back one, yet it is the first and only one published.
        Assert.Equal(committed.Id.ToString(), (await ProbeQueue.ReceiveAsync(probe, Patience)).MessageId);
        await Task.Delay(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
        await ProbeQueue.AssertNothingArrivesAsync(probe, TimeSpan.FromMilliseconds(200));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Two_relay_replicas_publish_every_event_exactly_once(bool postgres)
    {
        await using var database = postgres ? TestDatabase.Postgres() : TestDatabase.Sqlite();
        var transport = new InMemoryFixture();
        var probe = transport.Broker.Bind("probe", Topic);
        var events = Enumerable.Range(0, 400).Select(i => new SampleSubmittedIntegrationEvent($"SJ-{i:D4}")).ToArray();
        var options = Options(transport, database) with
        {
            Settings = new Dictionary<string, string?> { ["EventBus:Outbox:BatchSize"] = "25" },
        };

        await using var first = await TestApp.StartAsync(options, beforeStart: app => CommitAllAsync(app, events));
        await using var second = await TestApp.StartAsync(options);

        var published = new List<string>();
        while (published.Count < events.Length)
        {
            published.Add((await ProbeQueue.ReceiveAsync(probe, Patience)).MessageId);
        }

        Assert.Equal(events.Select(e => e.Id.ToString()).Order(), published.Order());
        await ProbeQueue.AssertNothingArrivesAsync(probe, TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public async Task In_process_an_event_stays_pending_until_its_consumer_has_handled_it()
    {
        var transport = new InMemoryFixture();
        var gate = new TaskCompletionSource();
        var consumerScript = new HandlerScript { Gate = gate };
        await using var consumer = await TestApp.StartAsync(
            new TestAppOptions($"consumer-{Guid.NewGuid():N}"[..20], transport) { Script = consumerScript });
        await using var producer = await TestApp.StartAsync(Options(transport, database: null));
        var evt = new SampleSubmittedIntegrationEvent("SJ-PENDING");

        await producer.CommitAsync(evt);

        // The consumer holds the event: were the process killed now, the event must still be in the outbox.
        await Eventually.HoldsAsync(() => Task.FromResult(consumerScript.Attempts.Contains(evt.Id)), Patience, "the consumer took the event");
        await Task.Delay(TimeSpan.FromMilliseconds(600), TestContext.Current.CancellationToken);
        Assert.Null((await producer.OutboxRowAsync(evt.Id)).SentAt);

        gate.SetResult();
        Assert.Equal(1, await consumer.CommittedEffectsAsync(evt.Id));
        await Eventually.HoldsAsync(async () => (await producer.OutboxRowAsync(evt.Id)).SentAt is not null, Patience, "the row is marked sent once handled");
    }

    [Fact]
    public async Task In_process_an_event_whose_consumer_stopped_before_handling_it_is_published_again()
    {
        var transport = new InMemoryFixture();
        var appId = $"consumer-{Guid.NewGuid():N}"[..20];
        await using var database = TestDatabase.Sqlite();
        var gate = new TaskCompletionSource();
        var stuck = new HandlerScript { Gate = gate };
        await using var producer = await TestApp.StartAsync(Options(transport, database: null));
        var evt = new SampleSubmittedIntegrationEvent("SJ-ABANDONED");

        var first = await TestApp.StartAsync(new TestAppOptions(appId, transport) { Script = stuck, Database = database });
        await producer.CommitAsync(evt);
        await Eventually.HoldsAsync(() => Task.FromResult(stuck.Attempts.Contains(evt.Id)), Patience, "the first consumer took the event");

        // The consumer stops mid-message: its handler's save is cancelled, the event goes back to the queue unhandled.
        var stopping = first.DisposeAsync().AsTask();
        await Task.Delay(TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);
        gate.SetResult();
        await stopping;
        await Eventually.HoldsAsync(async () => (await producer.OutboxRowAsync(evt.Id)).Attempts > 0, Patience, "the relay learnt the consumer stopped");

        // A consumer of the same application starts again and gets the event, once in effect.
        await using var second = await TestApp.StartAsync(new TestAppOptions(appId, transport) { Database = database });
        Assert.Equal(1, await second.CommittedEffectsAsync(evt.Id));
        await Eventually.HoldsAsync(async () => (await producer.OutboxRowAsync(evt.Id)).SentAt is not null, Patience, "the row is marked sent");
        await Task.Delay(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
        Assert.Equal(1, await second.CountEffectsAsync(evt.Id));
    }

    [Fact]
    public async Task The_outbox_keeps_the_trace_context_of_the_request_that_saved_the_event()
    {
        var transport = new InMemoryFixture();
        var probe = transport.Broker.Bind("probe", Topic);
        await using var app = await TestApp.StartAsync(Options(transport, database: null));
        using var request = new System.Diagnostics.Activity("request").SetIdFormat(System.Diagnostics.ActivityIdFormat.W3C).Start();

        await app.CommitAsync(new SampleSubmittedIntegrationEvent("SJ-TRACE"));
        request.Stop();

        var envelope = JsonDocument.Parse((await ProbeQueue.ReceiveAsync(probe, Patience)).Body).RootElement;
        Assert.StartsWith($"00-{request.TraceId}-", envelope.GetProperty("traceparent").GetString(), StringComparison.Ordinal);
    }

    private static TestAppOptions Options(InMemoryFixture transport, TestDatabase? database) =>
        new($"producer-{Guid.NewGuid():N}"[..20], transport) { Subscribes = false, Database = database };

    private static async Task CommitAllAsync(TestApp app, IEnumerable<IntegrationEvent> events)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<IOutbox<TestDbContext>>();
        foreach (var evt in events)
        {
            outbox.Add(evt);
        }

        await scope.ServiceProvider.GetRequiredService<TestDbContext>().SaveChangesAsync();
    }
}
