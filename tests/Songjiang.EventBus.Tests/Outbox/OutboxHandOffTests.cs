using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Songjiang.EventBus.Tests.Support;

namespace Songjiang.EventBus.Tests.Outbox;

/// <summary>
/// Committed events go from the saving process to its relay in memory, leased in the row meanwhile; the poll stays the
/// way back for whatever the hand-off misses. The tests of the hand-off set the poll to ten minutes, so only the hand-off
/// can publish in time.
/// </summary>
public sealed class OutboxHandOffTests
{
    private const string Topic = "tests.sample-submitted.v1";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_event_saved_in_a_transaction_is_published_when_it_commits_not_at_the_next_poll(bool postgres)
    {
        await using var database = postgres ? TestDatabase.Postgres() : TestDatabase.Sqlite();
        var transport = new InMemoryFixture();
        var probe = transport.Broker.Bind("probe", Topic);
        await using var app = await TestApp.StartAsync(Options(transport, database));
        var evt = new SampleSubmittedIntegrationEvent("SJ-TRANSACTION");

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);
            scope.ServiceProvider.GetRequiredService<IOutbox<TestDbContext>>().Add(evt);
            db.Effects.Add(new Effect { Id = 1, EventId = evt.Id.ToString(), Reference = evt.Reference });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);

            // Saved but not committed: nothing may be published yet.
            await ProbeQueue.AssertNothingArrivesAsync(probe, TimeSpan.FromMilliseconds(300));
            await transaction.CommitAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(evt.Id.ToString(), (await ProbeQueue.ReceiveAsync(probe, TimeSpan.FromSeconds(10))).MessageId);
        await Eventually.HoldsAsync(async () => (await app.OutboxRowAsync(evt.Id)).SentAt is not null, Patience, "the row is marked sent");
        Assert.Null((await app.OutboxRowAsync(evt.Id)).LockOwner);
    }

    [Fact]
    public async Task A_save_that_fails_hands_nothing_off_and_its_retry_publishes_the_event_once()
    {
        var transport = new InMemoryFixture();
        var probe = transport.Broker.Bind("probe", Topic);
        await using var app = await TestApp.StartAsync(Options(transport, database: null));
        var evt = new SampleSubmittedIntegrationEvent("SJ-RETRIED");
        await using (var seed = app.Services.CreateAsyncScope())
        {
            var db = seed.ServiceProvider.GetRequiredService<TestDbContext>();
            db.Effects.Add(new Effect { Id = 7, EventId = "seed", Reference = "seed" });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            scope.ServiceProvider.GetRequiredService<IOutbox<TestDbContext>>().Add(evt);
            var clash = db.Effects.Add(new Effect { Id = 7, EventId = evt.Id.ToString(), Reference = evt.Reference });
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));
            await ProbeQueue.AssertNothingArrivesAsync(probe, TimeSpan.FromMilliseconds(300));

            // The caller mends its change and saves again, in the same unit of work.
            clash.State = EntityState.Detached;
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(evt.Id.ToString(), (await ProbeQueue.ReceiveAsync(probe, TimeSpan.FromSeconds(10))).MessageId);
        await Eventually.HoldsAsync(async () => (await app.OutboxRowAsync(evt.Id)).SentAt is not null, Patience, "the row is marked sent");
        await ProbeQueue.AssertNothingArrivesAsync(probe, TimeSpan.FromMilliseconds(300));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Events_leased_to_a_process_that_died_are_published_by_another_once_the_lease_passes(bool postgres)
    {
        await using var database = postgres ? TestDatabase.Postgres() : TestDatabase.Sqlite();
        var transport = new InMemoryFixture();
        var probe = transport.Broker.Bind("probe", Topic);
        var lease = TimeSpan.FromSeconds(3);
        var settings = new Dictionary<string, string?>
        {
            ["EventBus:Outbox:PollInterval"] = "00:00:00.100",
            ["EventBus:Outbox:LockDuration"] = lease.ToString(),
        };
        var options = Options(transport, database) with { Settings = settings };
        var evt = new SampleSubmittedIntegrationEvent("SJ-ORPHANED");

        // A process that saves and dies before its relay runs: the row is leased to it, so nobody else takes it meanwhile.
        await using (var dead = await TestApp.StartAsync(options with { Configure = WithoutRelay }))
        {
            await dead.CommitAsync(evt);
            var leased = await dead.OutboxRowAsync(evt.Id);
            Assert.NotNull(leased.LockOwner);
            Assert.InRange(leased.LockedUntil!.Value, leased.CreatedAt + lease - TimeSpan.FromSeconds(1), leased.CreatedAt + lease + TimeSpan.FromSeconds(1));
        }

        // Another replica polls ten times a second: it leaves the row alone while the lease holds, then publishes it.
        await using var survivor = await TestApp.StartAsync(options);
        await ProbeQueue.AssertNothingArrivesAsync(probe, TimeSpan.FromSeconds(1));
        Assert.Equal(evt.Id.ToString(), (await ProbeQueue.ReceiveAsync(probe, Patience)).MessageId);
        await Eventually.HoldsAsync(async () => (await survivor.OutboxRowAsync(evt.Id)).SentAt is not null, Patience, "the orphaned row is marked sent");
    }

    private static TestAppOptions Options(InMemoryFixture transport, TestDatabase? database) =>
        new($"producer-{Guid.NewGuid():N}"[..20], transport)
        {
            Subscribes = false,
            Database = database,
            Settings = new Dictionary<string, string?> { ["EventBus:Outbox:PollInterval"] = "00:10:00" },
        };

    private static void WithoutRelay(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder)
    {
        var relay = builder.Services.Single(s => s.ServiceType == typeof(IHostedService) && s.ImplementationType == typeof(OutboxRelay<TestDbContext>));
        builder.Services.Remove(relay);
    }
}
