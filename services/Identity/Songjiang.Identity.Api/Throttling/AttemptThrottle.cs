using Microsoft.EntityFrameworkCore;
using Songjiang.Identity.Api.Infrastructure;

namespace Songjiang.Identity.Api.Throttling;

/// <summary>
/// Counts failed attempts per subject in the identity database and locks a subject that fails too often. Every
/// change is a single conditional UPDATE (or an INSERT that loses a race and retries as an UPDATE), so replicas
/// sharing the database count together without losing an attempt.
/// </summary>
public sealed class AttemptThrottle(IdentityDbContext db, TimeProvider clock)
{
    /// <summary>Key prefix of account names.</summary>
    public const string Account = "account:";

    /// <summary>Key prefix of client ids.</summary>
    public const string Client = "client:";

    /// <summary>Key prefix of source addresses.</summary>
    public const string Address = "address:";

    private const int MaxKeyLength = 200;

    /// <summary>The key of a subject: normalised and bounded, so any input is a valid key.</summary>
    public static string KeyOf(string prefix, string subject)
    {
        var normalised = subject.Trim().ToLowerInvariant();
        return prefix + (normalised.Length > MaxKeyLength - prefix.Length ? normalised[..(MaxKeyLength - prefix.Length)] : normalised);
    }

    /// <summary>Until when the subject is locked, or null when it may try.</summary>
    public async Task<DateTimeOffset?> LockedUntilAsync(string key, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return await db.AttemptCounters.AsNoTracking()
            .Where(c => c.Key == key && c.LockedUntil > now)
            .Select(c => c.LockedUntil)
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Counts a failure; returns the end of the lock when this failure reached the limit.</summary>
    public async Task<DateTimeOffset?> RecordFailureAsync(string key, ThrottleRule rule, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var windowStart = now - rule.Window;
        for (var attempt = 0; ; attempt++)
        {
            // Within the window: one more failure.
            var counted = await db.AttemptCounters
                .Where(c => c.Key == key && c.WindowStart > windowStart)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Failures, c => c.Failures + 1), cancellationToken);
            if (counted == 0)
            {
                // The window has passed: this failure opens a new one.
                counted = await db.AttemptCounters
                    .Where(c => c.Key == key && c.WindowStart <= windowStart)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.Failures, 1).SetProperty(c => c.WindowStart, now), cancellationToken);
            }
            if (counted == 0)
            {
                db.AttemptCounters.Add(new AttemptCounter { Key = key, WindowStart = now, Failures = 1 });
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
                catch (DbUpdateException) when (attempt < 3)
                {
                    // Another replica counted the first failure at the same moment: count on its row.
                    db.ChangeTracker.Clear();
                    continue;
                }
                finally
                {
                    db.ChangeTracker.Clear();
                }
            }
            break;
        }

        var lockedUntil = now + rule.Lockout;
        var locked = await db.AttemptCounters
            .Where(c => c.Key == key && c.Failures >= rule.Failures && (c.LockedUntil == null || c.LockedUntil <= now))
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.LockedUntil, lockedUntil)
                .SetProperty(c => c.Failures, 0)
                .SetProperty(c => c.WindowStart, now), cancellationToken);
        return locked > 0 ? lockedUntil : null;
    }

    /// <summary>Forgets the subject's failures and lifts its lock (a successful sign-in, or an administrator).</summary>
    public async Task<bool> ResetAsync(string key, CancellationToken cancellationToken) =>
        await db.AttemptCounters.Where(c => c.Key == key).ExecuteDeleteAsync(cancellationToken) > 0;

    /// <summary>The subjects of a kind that are locked now, with the end of each lock.</summary>
    public async Task<List<(string Subject, DateTimeOffset LockedUntil)>> LockedAsync(string prefix, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var rows = await db.AttemptCounters.AsNoTracking()
            .Where(c => c.Key.StartsWith(prefix) && c.LockedUntil > now)
            .Select(c => new { c.Key, c.LockedUntil })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.Key[prefix.Length..], r.LockedUntil!.Value)).OrderBy(r => r.Item1, StringComparer.Ordinal)];
    }
}
