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

        Assert.Equal(evt.Id.ToString(), (await ReceiveAsync(probe)).MessageId);
        await Eventually.HoldsAsync(async () => await SentAtAsync(app, evt.Id) is not null, Patience, "the row is marked sent");
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
        Assert.Equal(committed.Id.ToString(), (await ReceiveAsync(probe)).MessageId);
        await Task.Delay(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
        using var none = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await probe.DequeueAsync(none.Token));
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
            published.Add((await ReceiveAsync(probe)).MessageId);
        }

        Assert.Equal(events.Select(e => e.Id.ToString()).Order(), published.Order());
        using var none = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await probe.DequeueAsync(none.Token));
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

        var envelope = JsonDocument.Parse((await ReceiveAsync(probe)).Body).RootElement;
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

    private static async Task<InMemoryMessage> ReceiveAsync(InMemoryQueue probe)
    {
        using var timeout = new CancellationTokenSource(Patience);
        return await probe.DequeueAsync(timeout.Token);
    }

    private static async Task<DateTime?> SentAtAsync(TestApp app, Guid id)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TestDbContext>()
            .Set<OutboxMessage>().Where(m => m.Id == id).Select(m => m.SentAt).SingleAsync();
    }
}
