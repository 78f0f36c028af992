using Microsoft.EntityFrameworkCore;
using Songjiang.Enterprises.Api.Domain;
using Songjiang.Enterprises.Api.Infrastructure;
using Songjiang.SharedKernel;

namespace Songjiang.Enterprises.Api.Features;

/// <summary>
/// Mints unified social credit codes from the register's sequence, inside the caller's transaction: the serial is
/// taken with one atomic update (a row lock on PostgreSQL, the write lock on SQLite), so concurrent registrations —
/// also on two replicas — take different serials. A serial whose code already exists (a code registered elsewhere)
/// or cannot be a code is skipped.
/// </summary>
public sealed class CreditCodeRegister(EnterprisesDbContext db)
{
    /// <summary>The next unused code of the division.</summary>
    public async Task<UnifiedSocialCreditCode> NextAsync(string division, CancellationToken cancellationToken)
    {
        while (true)
        {
            var serial = await TakeSerialAsync(division, cancellationToken);
            if (UnifiedSocialCreditCode.ForEnterprise(division, serial) is { } code
                && !await db.Enterprises.AnyAsync(e => e.Uscc == code.Value, cancellationToken))
            {
                return code;
            }
        }
    }

    private async Task<long> TakeSerialAsync(string division, CancellationToken cancellationToken)
    {
        var taken = await db.RegisterSequences.Where(s => s.Division == division)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Next, r => r.Next + 1), cancellationToken);
        if (taken == 0)
        {
            // The first code of the division: a concurrent first one fails on the key and its event is retried.
            db.RegisterSequences.Add(new RegisterSequence { Division = division, Next = 1 });
            await db.SaveChangesAsync(cancellationToken);
            return 0;
        }
        return await db.RegisterSequences.AsNoTracking().Where(s => s.Division == division).Select(s => s.Next).SingleAsync(cancellationToken) - 1;
    }
}
