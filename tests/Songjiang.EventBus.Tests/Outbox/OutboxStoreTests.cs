using Microsoft.EntityFrameworkCore;
using Songjiang.EventBus.Tests.Support;

namespace Songjiang.EventBus.Tests.Outbox;

/// <summary>The relay's claim, one statement that locks and returns a batch, on both supported databases.</summary>
public sealed class OutboxStoreTests
{
    private static readonly DateTime Now = new(2025, 1, 1, 8, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_claim_returns_the_oldest_unsent_rows_and_no_other_relay_gets_them_until_the_lock_expires(bool postgres)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = postgres ? TestDatabase.Postgres() : TestDatabase.Sqlite();
        var options = new DbContextOptionsBuilder<TestDbContext>();
        database.Configure(options);
        await using var db = new TestDbContext(options.Options);
        await database.CreateAsync(db);
        var pending = Enumerable.Range(0, 5).Select(i => Message(Now.AddSeconds(i))).ToArray();
        var sent = Message(Now.AddSeconds(-1));
        sent.SentAt = Now;
        db.AddRange(pending);
        db.Add(sent);
        await db.SaveChangesAsync(ct);
        var store = new OutboxStore(db);
        var lockedUntil = Now.AddMinutes(2);

        var first = await store.ClaimAsync("relay-a", 3, Now, lockedUntil, ct);
        var second = await store.ClaimAsync("relay-b", 10, Now, lockedUntil, ct);
        var whileLocked = await store.ClaimAsync("relay-c", 10, Now.AddMinutes(1), Now.AddMinutes(3), ct);

        Assert.Equal(Ids(pending.Take(3)), Ids(first));
        Assert.All(first, m => Assert.Equal(("relay-a", lockedUntil), (m.LockOwner, m.LockedUntil)));
        Assert.Equal(Ids(pending.Skip(3)), Ids(second));
        Assert.Empty(whileLocked);
        Assert.All(first.Concat(second), m => Assert.Equal("{\"n\":1}", m.Envelope));

        // relay-a and relay-b crashed: after their lock another relay takes every row over, and once sent none is claimed again.
        var takenOver = await store.ClaimAsync("relay-c", 10, lockedUntil.AddSeconds(1), lockedUntil.AddMinutes(2), ct);
        Assert.Equal(Ids(pending), Ids(takenOver));
        await store.MarkSentAsync("relay-c", lockedUntil.AddSeconds(2), ct);
        Assert.Empty(await store.ClaimAsync("relay-d", 10, Now.AddHours(1), Now.AddHours(2), ct));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Marking_a_claim_sent_leaves_its_released_failures_and_other_claims_alone(bool postgres)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = postgres ? TestDatabase.Postgres() : TestDatabase.Sqlite();
        var options = new DbContextOptionsBuilder<TestDbContext>();
        database.Configure(options);
        await using var db = new TestDbContext(options.Options);
        await database.CreateAsync(db);
        var pending = Enumerable.Range(0, 4).Select(i => Message(Now.AddSeconds(i))).ToArray();
        db.AddRange(pending);
        await db.SaveChangesAsync(ct);
        var store = new OutboxStore(db);
        var mine = await store.ClaimAsync("relay-a/1", 3, Now, Now.AddMinutes(2), ct);
        var theirs = await store.ClaimAsync("relay-b/1", 3, Now, Now.AddMinutes(2), ct);
        var failed = mine.OrderBy(m => m.CreatedAt).First();

        await store.MarkFailedAsync(failed.Id, "PublishException: nacked", Now.AddSeconds(5), ct);
        await store.MarkSentAsync("relay-a/1", Now.AddSeconds(1), ct);

        db.ChangeTracker.Clear();
        var rows = await db.Set<OutboxMessage>().AsNoTracking().ToDictionaryAsync(m => m.Id, ct);
        Assert.All(mine.Where(m => m.Id != failed.Id), m => Assert.Equal((Now.AddSeconds(1), null), (rows[m.Id].SentAt, rows[m.Id].LockOwner)));
        Assert.Equal((null, null, 1, "PublishException: nacked"), (rows[failed.Id].SentAt, rows[failed.Id].LockOwner, rows[failed.Id].Attempts, rows[failed.Id].LastError));
        Assert.Equal((null, "relay-b/1"), (rows[Assert.Single(theirs).Id].SentAt, rows[theirs[0].Id].LockOwner));
    }

    private static OutboxMessage Message(DateTime createdAt) =>
        new() { Id = Guid.CreateVersion7(), Topic = "tests.sample-submitted.v1", Envelope = "{\"n\":1}", CreatedAt = createdAt };

    private static Guid[] Ids(IEnumerable<OutboxMessage> messages) => messages.Select(m => m.Id).Order().ToArray();
}
