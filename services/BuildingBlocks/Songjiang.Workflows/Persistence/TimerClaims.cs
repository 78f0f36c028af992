using Microsoft.EntityFrameworkCore;

namespace Songjiang.Workflows.Persistence;

/// <summary>
/// Claims due timers for one host. On PostgreSQL <c>FOR UPDATE SKIP LOCKED</c> lets N hosts claim disjoint
/// batches without waiting on each other. The claim is only a lease: firing re-checks the timer under the
/// instance lock, so a timer fires once even if a lease expires while its first host is still working.
/// </summary>
internal static class TimerClaims
{
    public static Task<List<ClaimedTimer>> ClaimAsync(DbContext db, DateTimeOffset now, TimeSpan lease, int batchSize, CancellationToken ct)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var until = (now + lease).ToUnixTimeMilliseconds();
        return SqlBatch.IsPostgresProvider(db)
            ? db.Database.SqlQuery<ClaimedTimer>($"""
                UPDATE wf_timers SET claimed_until = {until}
                WHERE id IN (SELECT id FROM wf_timers
                             WHERE status = 0 AND due_at <= {nowMs} AND claimed_until <= {nowMs}
                             ORDER BY due_at LIMIT {batchSize} FOR UPDATE SKIP LOCKED)
                RETURNING id AS "Id", instance_id AS "InstanceId", due_at AS "DueAt"
                """).ToListAsync(ct)
            : db.Database.SqlQuery<ClaimedTimer>($"""
                UPDATE wf_timers SET claimed_until = {until}
                WHERE id IN (SELECT id FROM wf_timers
                             WHERE status = 0 AND due_at <= {nowMs} AND claimed_until <= {nowMs}
                             ORDER BY due_at LIMIT {batchSize})
                RETURNING id AS "Id", instance_id AS "InstanceId", due_at AS "DueAt"
                """).ToListAsync(ct);
    }
}

internal sealed class ClaimedTimer
{
    public Guid Id { get; set; }
    public Guid InstanceId { get; set; }
    public long DueAt { get; set; }
}
