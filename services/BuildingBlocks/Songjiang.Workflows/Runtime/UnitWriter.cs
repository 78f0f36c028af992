using Microsoft.EntityFrameworkCore;
using Songjiang.Workflows.Persistence;

namespace Songjiang.Workflows.Runtime;

/// <summary>
/// Writes what a unit of work changed as one batch of targeted statements: a version-checked update per locked
/// instance, one multi-row upsert of the new and changed tokens, and multi-row inserts of new instances, timers,
/// bookmarks and journal entries (one journal row per executed step).
/// </summary>
internal static class UnitWriter
{
    private const string UpdateInstance =
        "UPDATE wf_instances SET status = {0}, outcome = {1}, data = {2}, ended_at = {3}, statutory_due_at = {4}, "
        + "clock_paused_at = {5}, paused_remaining_working_days = {6}, version = {7} WHERE id = {8} AND version = {9}";

    // New and changed tokens go in one statement: an upsert is one statement however many tokens a step touches.
    private const string UpsertToken =
        " ON CONFLICT (id) DO UPDATE SET node_id = excluded.node_id, status = excluded.status, created_at = excluded.created_at, "
        + "ended_at = excluded.ended_at, department = excluded.department, roles = excluded.roles, due_at = excluded.due_at, "
        + "escalated = excluded.escalated, pending_children = excluded.pending_children, incident = excluded.incident";

    private const string JournalColumns = "instance_id, at, actor, action, node_id, token_id, delta";
    private const string BookmarkColumns = "id, instance_id, token_id, event_name, correlation_key";

    /// <summary>
    /// Appends the writes to <paramref name="batch"/> (after any statements already in it), runs it and checks
    /// the version of every changed instance.
    /// </summary>
    /// <exception cref="DbUpdateConcurrencyException">Another transaction changed an instance: retry.</exception>
    public static async Task WriteAsync(SqlBatch batch, IReadOnlyCollection<InstanceSession> sessions, CancellationToken ct)
    {
        var versionChecks = new List<int>();
        var newInstances = new List<object?[]>();
        var tokens = new List<object?[]>();
        var timers = new List<object?[]>();
        var bookmarks = new List<object?[]>();
        var journal = new List<object?[]>();
        foreach (var session in sessions.Where(s => s.Changed))
        {
            var i = session.Instance;
            if (session.IsNew)
            {
                newInstances.Add([
                    i.Id, i.DefinitionName, i.DefinitionVersion, i.CorrelationId, i.Status, SqlNull.Of(i.Outcome), i.Data,
                    SqlNull.Of(i.ParentInstanceId), SqlNull.Of(i.ParentTokenId), i.StartedAt, SqlNull.Of(i.EndedAt),
                    SqlNull.Of(i.StatutoryDueAt), SqlNull.Of(i.ClockPausedAt), SqlNull.Of(i.PausedRemainingWorkingDays), i.Version]);
            }
            else
            {
                versionChecks.Add(batch.Count);
                batch.Add(UpdateInstance, i.Status, SqlNull.Of(i.Outcome), i.Data, SqlNull.Of(i.EndedAt), SqlNull.Of(i.StatutoryDueAt),
                    SqlNull.Of(i.ClockPausedAt), SqlNull.Of(i.PausedRemainingWorkingDays), i.Version, i.Id, session.LoadedVersion);
            }

            tokens.AddRange(session.ChangedTokens.Concat(session.NewTokens).Select(t => new object?[]
            {
                t.Id, t.InstanceId, t.NodeId, t.Status, t.Scope, t.CreatedAt, SqlNull.Of(t.EndedAt), SqlNull.Of(t.Department),
                SqlNull.Of(t.Roles), SqlNull.Of(t.DueAt), t.Escalated, t.PendingChildren, SqlNull.Of(t.Incident),
            }));
            timers.AddRange(session.NewTimers.Select(t => new object?[]
            {
                t.Id, t.InstanceId, t.TokenId, t.NodeId, SqlNull.Of(t.BoundaryId), t.DueAt, t.Status, t.ClaimedUntil, SqlNull.Of(t.FiredAt),
            }));
            bookmarks.AddRange(session.NewBookmarks.Select(b => new object?[] { b.Id, b.InstanceId, b.TokenId, b.EventName, b.CorrelationKey }));
            journal.AddRange(session.NewJournal.Select(j => new object?[]
            {
                j.InstanceId, j.At, j.Actor, j.Action, SqlNull.Of(j.NodeId), SqlNull.Of(j.TokenId), SqlNull.Of(j.Delta),
            }));
        }

        batch.AddInsert("wf_instances", InstanceRows.InstanceColumns, newInstances);
        batch.AddInsert("wf_tokens", InstanceRows.TokenColumns, tokens, UpsertToken);
        batch.AddInsert("wf_timers", InstanceRows.TimerColumns, timers);
        batch.AddInsert("wf_bookmarks", BookmarkColumns, bookmarks);
        // Sessions are visited in the order they were opened, so journal ids keep the order of the steps.
        batch.AddInsert("wf_journal", JournalColumns, journal);

        var affected = await batch.ExecuteAsync(ct);
        if (versionChecks.Any(index => affected[index] != 1))
            throw new DbUpdateConcurrencyException("A workflow instance was changed by another transaction.");
    }
}
