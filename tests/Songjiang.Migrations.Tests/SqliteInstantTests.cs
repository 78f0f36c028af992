using Microsoft.EntityFrameworkCore;
using Songjiang.Exchange.Api.Domain;
using Songjiang.Exchange.Api.Infrastructure;
using Songjiang.Persistence;
using Songjiang.Persistence.Migrations;
using Songjiang.ServiceDefaults.Time;

namespace Songjiang.Migrations.Tests;

/// <summary>
/// On SQLite an instant is stored as a number that orders by clock time: a China day's midnight (+08:00) as a bound
/// must still find what happened in the day's first eight hours, however the value was written, and values stored
/// with an offset before are rewritten at offset zero when the database is migrated.
/// </summary>
public sealed class SqliteInstantTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset From = ChinaTime.StartOf(new DateOnly(2026, 12, 8));

    [Fact]
    public async Task A_china_days_midnight_bounds_by_instant_whatever_offset_a_value_was_written_at()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = TestDatabase.Create("exchange", DatabaseProvider.Sqlite);
        await using var db = (ExchangeDbContext)ServiceContexts.On("exchange", DatabaseProvider.Sqlite, database.ConnectionString);
        await DatabaseMigrations.MigrateAsync(db, cancellationToken: ct);

        db.Nonces.AddRange(
            new UsedNonce { City = "330400", Nonce = "first-hours-at-0800", SeenAt = new DateTimeOffset(2026, 12, 8, 0, 30, 0, China) },
            new UsedNonce { City = "330400", Nonce = "first-hours-at-utc", SeenAt = new DateTimeOffset(2026, 12, 7, 16, 40, 0, TimeSpan.Zero) },
            new UsedNonce { City = "330400", Nonce = "day-before-at-0800", SeenAt = new DateTimeOffset(2026, 12, 7, 23, 30, 0, China) });
        await db.SaveChangesAsync(ct);

        var onTheDay = await db.Nonces.Where(n => n.SeenAt >= From).OrderBy(n => n.SeenAt).Select(n => n.Nonce).ToListAsync(ct);
        Assert.Equal(["first-hours-at-0800", "first-hours-at-utc"], onTheDay);
    }

    [Fact]
    public async Task A_value_stored_with_an_offset_before_is_rewritten_at_offset_zero_when_the_database_is_migrated()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = TestDatabase.Create("exchange", DatabaseProvider.Sqlite);
        await using var db = (ExchangeDbContext)ServiceContexts.On("exchange", DatabaseProvider.Sqlite, database.ConnectionString);
        await DatabaseMigrations.MigrateAsync(db, cancellationToken: ct);
        // 00:30 in China as EF Core's binary form wrote it at +08:00: the clock time's ticks ÷ 1000, then 480 minutes.
        var written = new DateTimeOffset(2026, 12, 8, 0, 30, 0, China);
        var stored = ((written.Ticks / 1000) << 11) | 480;
        await db.Database.ExecuteSqlAsync($"INSERT INTO partner_nonces (City, Nonce, SeenAt) VALUES ('330400', 'written-before', {stored})", ct);
        var later = written.AddHours(7);
        Assert.Single(await db.Nonces.Where(n => n.SeenAt >= later).ToListAsync(ct)); // by clock time: 00:30 at +08:00 ≥ 23:30 at zero

        await DatabaseMigrations.MigrateAsync(db, cancellationToken: ct);

        Assert.Empty(await db.Nonces.Where(n => n.SeenAt >= later).ToListAsync(ct));
        var nonce = Assert.Single(await db.Nonces.AsNoTracking().Where(n => n.SeenAt >= From).ToListAsync(ct));
        Assert.Equal(written, nonce.SeenAt);
        Assert.Equal(TimeSpan.Zero, nonce.SeenAt.Offset);
    }
}
