using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Songjiang.Workflows.Persistence;

/// <summary>
/// Locks an instance and loads it with its waiting tokens in one round trip, without EF Core tracking.
/// Column lists follow the model's snake_case names (<see cref="WorkflowModelBuilderExtensions"/>).
/// </summary>
internal static class InstanceRows
{
    public const string InstanceColumns =
        "id, definition_name, definition_version, correlation_id, status, outcome, data, parent_instance_id, parent_token_id, "
        + "started_at, ended_at, statutory_due_at, clock_paused_at, paused_remaining_working_days, version";

    public const string TokenColumns =
        "id, instance_id, node_id, status, scope, created_at, ended_at, department, roles, due_at, escalated, pending_children, incident, assignment";

    public const string TimerColumns = "id, instance_id, token_id, node_id, boundary_id, due_at, status, claimed_until, fired_at";

    private const string ByTask = "(SELECT instance_id FROM wf_tokens WHERE id = {0})";

    /// <summary>Locks the instance that owns task <paramref name="taskId"/>; null when the task does not exist.</summary>
    public static Task<LockedInstance?> LockByTaskAsync(DbContext db, Guid taskId, CancellationToken ct) =>
        LockAsync(db, ByTask, taskId, null, ct);

    /// <summary>Locks an instance, and reads one of its timers after the lock when <paramref name="timerId"/> is given.</summary>
    public static Task<LockedInstance?> LockAsync(DbContext db, Guid instanceId, Guid? timerId, CancellationToken ct) =>
        LockAsync(db, "{0}", instanceId, timerId, ct);

    /// <summary>Instances started by a sub-workflow token that have not ended.</summary>
    public static async Task<List<Guid>> RunningChildrenAsync(DbContext db, Guid parentTokenId, CancellationToken ct)
    {
        await using var results = await new SqlBatch(db)
            .Add("SELECT id FROM wf_instances WHERE parent_token_id = {0} AND status IN ({1}, {2}) ORDER BY id",
                parentTokenId, WorkflowInstanceStatus.Running, WorkflowInstanceStatus.Faulted)
            .QueryAsync(ct);
        return await results.ReadAsync(r => r.GetGuid(0), ct);
    }

    // On PostgreSQL the row lock serialises resumes across hosts (the token read runs after it, on a fresh
    // snapshot); SQLite's transaction holds the single writer lock. The version column catches anything else.
    private static async Task<LockedInstance?> LockAsync(DbContext db, string instanceId, Guid key, Guid? timerId, CancellationToken ct)
    {
        var batch = new SqlBatch(db);
        var lockClause = batch.IsPostgres ? " FOR UPDATE" : "";
        batch.Add($"SELECT {InstanceColumns} FROM wf_instances WHERE id = {instanceId}{lockClause}", key);
        batch.Add($"SELECT {TokenColumns} FROM wf_tokens WHERE instance_id = {instanceId} AND status = 0", key);
        if (timerId is { } timer) batch.Add($"SELECT {TimerColumns} FROM wf_timers WHERE id = {{0}}", timer);
        await using var results = await batch.QueryAsync(ct);
        var instances = await results.ReadAsync(ReadInstance, ct);
        var tokens = await results.ReadAsync(ReadToken, ct);
        var timers = timerId is null ? [] : await results.ReadAsync(ReadTimer, ct);
        return instances is [var instance] ? new LockedInstance(instance, tokens, timers.SingleOrDefault()) : null;
    }

    private static InstanceRecord ReadInstance(DbDataReader r) => new()
    {
        Id = r.GetGuid(0), DefinitionName = r.GetString(1), DefinitionVersion = r.GetInt32(2), CorrelationId = r.GetString(3),
        Status = (WorkflowInstanceStatus)r.GetInt32(4), Outcome = NullableString(r, 5), Data = r.GetString(6),
        ParentInstanceId = r.IsDBNull(7) ? null : r.GetGuid(7), ParentTokenId = r.IsDBNull(8) ? null : r.GetGuid(8),
        StartedAt = Instant(r, 9), EndedAt = NullableInstant(r, 10), StatutoryDueAt = NullableInstant(r, 11),
        ClockPausedAt = NullableInstant(r, 12), PausedRemainingWorkingDays = r.IsDBNull(13) ? null : r.GetInt32(13),
        Version = r.GetInt32(14),
    };

    private static TokenRecord ReadToken(DbDataReader r) => new()
    {
        Id = r.GetGuid(0), InstanceId = r.GetGuid(1), NodeId = r.GetString(2), Status = (TokenStatus)r.GetInt32(3),
        Scope = r.GetString(4), CreatedAt = Instant(r, 5), EndedAt = NullableInstant(r, 6), Department = NullableString(r, 7),
        Roles = NullableString(r, 8), DueAt = NullableInstant(r, 9), Escalated = r.GetBoolean(10), PendingChildren = r.GetInt32(11),
        Incident = NullableString(r, 12), Assignment = NullableString(r, 13),
    };

    private static TimerRecord ReadTimer(DbDataReader r) => new()
    {
        Id = r.GetGuid(0), InstanceId = r.GetGuid(1), TokenId = r.GetGuid(2), NodeId = r.GetString(3),
        BoundaryId = NullableString(r, 4), DueAt = Instant(r, 5), Status = (TimerStatus)r.GetInt32(6),
        ClaimedUntil = r.GetInt64(7), FiredAt = NullableInstant(r, 8),
    };

    private static string? NullableString(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTimeOffset Instant(DbDataReader r, int i) => DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(i));

    private static DateTimeOffset? NullableInstant(DbDataReader r, int i) => r.IsDBNull(i) ? null : Instant(r, i);
}

/// <summary>A locked instance row with its waiting tokens and, when asked for, one of its timers.</summary>
internal sealed record LockedInstance(InstanceRecord Instance, List<TokenRecord> Tokens, TimerRecord? Timer);
