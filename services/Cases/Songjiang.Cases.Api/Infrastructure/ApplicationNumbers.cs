using Songjiang.ServiceDefaults.Time;
using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace Songjiang.Cases.Api.Infrastructure;

/// <summary>
/// Human-readable application numbers, <c>SJ{yyyyMMdd}-{nnnnnn}</c> by the day in China Standard Time, from a
/// per-day counter (one atomic upsert on SQLite and PostgreSQL alike). Called outside a transaction, the increment
/// commits at once, so the counter's row is locked for one statement; a submission that fails after taking its number
/// leaves the number unused. Numbers are unique and follow the order of submission, not gapless (ADR 0055).
/// </summary>
public static class ApplicationNumbers
{
    /// <summary>The next number for the day of <paramref name="now"/>.</summary>
    public static async Task<string> NextAsync(CasesDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var day = ChinaTime.DateOf(now).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var values = await db.Database.SqlQuery<long>($"""
            INSERT INTO application_counters ("Day", "Value") VALUES ({day}, 1)
            ON CONFLICT ("Day") DO UPDATE SET "Value" = application_counters."Value" + 1
            RETURNING "Value"
            """).ToListAsync(cancellationToken);
        return string.Create(CultureInfo.InvariantCulture, $"SJ{day}-{values[0]:000000}");
    }

    /// <summary>The number of the <paramref name="index"/>-th (from 1) child of a bundle application.</summary>
    public static string Child(string parentNumber, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{parentNumber}-{index:00}");
}
