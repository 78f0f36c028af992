using Microsoft.EntityFrameworkCore;
using Songjiang.Workflows.Persistence;

namespace Songjiang.Workflows.Runtime;

/// <summary>
/// Writes what a unit of work changed as one batch of targeted statements: a version-checked update per locked
/// instance, an update by key per changed token, and multi-row inserts of new instances, tokens, timers,
/// bookmarks and journal rows (one per instance the step changed, holding its entries in order).
/// </summary>
internal static class UnitWriter
{
    private const string UpdateInstance =
        "UPDATE wf_instances SET status = {0}, outcome = {1}, data = {2}, ended_at = {3}, statutory_due_at = {4}, "
        + "clock_paused_at = {5}, paused_remaining_working_days = {6}, version = {7} WHERE id = {8} AND version = {9}";

    // A changed token is a plain update by key: cheaper for PostgreSQL than an upsert, which locks the row it
    // conflicts with before updating it. New tokens go in one multi-row insert.
    private const string UpdateToken =
        "UPDATE wf_tokens SET node_id = {0}, status = {1}, created_at = {2}, ended_at = {3}, department = {4}, roles = {5}, "
        + "due_at = {6}, escalated = {7}, pending_children = {8}, incident = {9}, assignment = {10} WHERE id = {11}";

    private const string JournalColumns = "instance_id, step, at, entries";
    private const string BookmarkColumns = "id, instance_id, token_id, event_name, correlation_key";

    /// <summary>
    /// Appends the writes to <paramref name="batch"/> (after any statements already in it), runs it and checks
    /// the version of every changed instance.
    /// </summary>
    /// <exception cref="DbUpdateConcurrencyException">Another transaction changed an instance: retry.</exception>
    public static async Task WriteAsync(SqlBatch batch, IReadOnlyCollection<InstanceSession> sessions, DateTimeOffset now, CancellationToken ct)
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

            foreach (var t in session.ChangedTokens)
            {
                batch.Add(UpdateToken, t.NodeId, t.Status, t.CreatedAt, SqlNull.Of(t.EndedAt), SqlNull.Of(t.Department), SqlNull.Of(t.Roles),
                    SqlNull.Of(t.DueAt), t.Escalated, t.PendingChildren, SqlNull.Of(t.Incident), SqlNull.Of(t.Assignment), t.Id);
            }

            tokens.AddRange(session.NewTokens.Select(t => new object?[]
            {
                t.Id, t.InstanceId, t.NodeId, t.Status, t.Scope, t.CreatedAt, SqlNull.Of(t.EndedAt), SqlNull.Of(t.Department),
                SqlNull.Of(t.Roles), SqlNull.Of(t.DueAt), t.Escalated, t.PendingChildren, SqlNull.Of(t.Incident), SqlNull.Of(t.Assignment),
            }));
            timers.AddRange(session.NewTimers.Select(t => new object?[]
            {
                t.Id, t.InstanceId, t.TokenId, t.NodeId, SqlNull.Of(t.BoundaryId), t.DueAt, t.Status, t.ClaimedUntil, SqlNull.Of(t.FiredAt),
            }));
            bookmarks.AddRange(session.NewBookmarks.Select(b => new object?[] { b.Id, b.InstanceId, b.TokenId, b.EventName, b.CorrelationKey }));
            // One row per step and instance, keyed by the version the step writes (Flush has set it).
            if (session.NewJournal.Count > 0) journal.Add([i.Id, i.Version, now, JournalEntries.Write(session.NewJournal)]);
        }

        batch.AddInsert("wf_instances", InstanceRows.InstanceColumns, newInstances);
        batch.AddInsert("wf_tokens", InstanceRows.TokenColumns, tokens);
        batch.AddInsert("wf_timers", InstanceRows.TimerColumns, timers);
        batch.AddInsert("wf_bookmarks", BookmarkColumns, bookmarks);
        batch.AddInsert("wf_journal", JournalColumns, journal);

        var affected = await batch.ExecuteAsync(ct);
        if (versionChecks.Any(index => affected[index] != 1))
            throw new DbUpdateConcurrencyException("A workflow instance was changed by another transaction.");
    }
}
