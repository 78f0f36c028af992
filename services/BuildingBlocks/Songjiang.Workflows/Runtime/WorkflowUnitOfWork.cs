using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Songjiang.Workflows.Calendar;
using Songjiang.Workflows.Definitions;
using Songjiang.Workflows.Persistence;

namespace Songjiang.Workflows.Runtime;

/// <summary>
/// One resume transaction: the instances it has locked, the clock reading it acts at, and the services the
/// node behaviours need. A child ending resumes its parent in the same unit, so both commit together.
/// </summary>
internal sealed class WorkflowUnitOfWork(
    DbContext db, DateTimeOffset now, DefinitionCache definitions, WorkingDayCalendar calendar,
    Func<IWorkflowEventPublisher> publisher, IEnumerable<IWorkflowStepObserver> observers, IReadOnlyList<IWorkflowListener> listeners)
{
    private readonly Dictionary<Guid, InstanceSession> _sessions = [];

    // Statements that must run before the unit's own writes: releasing stored timers and bookmarks, firing a timer.
    private readonly SqlBatch _pending = new(db);

    public DbContext Db { get; } = db;
    public DateTimeOffset Now { get; } = now;
    public DefinitionCache Definitions { get; } = definitions;
    public WorkingDayCalendar Calendar { get; } = calendar;
    public IWorkflowEventPublisher Publisher => publisher();

    /// <summary>The host's listeners, told of tasks and ends inside this unit.</summary>
    public IReadOnlyList<IWorkflowListener> Listeners => listeners;

    /// <summary>Run-time errors recorded as incidents in this unit, for the log.</summary>
    public List<string> Incidents { get; } = [];

    /// <summary>Locks and loads an instance, or returns the session already open in this unit.</summary>
    public async Task<InstanceSession?> OpenAsync(Guid instanceId, CancellationToken ct) =>
        _sessions.TryGetValue(instanceId, out var open)
            ? open
            : await OpenLoadedAsync(await InstanceRows.LockAsync(Db, instanceId, null, ct), ct);

    /// <summary>Locks and loads the instance of a claimed timer and re-reads the timer under that lock.</summary>
    public async Task<(InstanceSession Session, TimerRecord? Timer)?> OpenForTimerAsync(Guid instanceId, Guid timerId, CancellationToken ct)
    {
        var loaded = await InstanceRows.LockAsync(Db, instanceId, timerId, ct);
        return await OpenLoadedAsync(loaded, ct) is { } session ? (session, loaded!.Timer) : null;
    }

    /// <summary>Locks and loads the instance that owns a task, in the same round trip.</summary>
    public async Task<InstanceSession?> OpenByTaskAsync(Guid taskId, CancellationToken ct) =>
        _sessions.Values.FirstOrDefault(s => s.Tokens.Any(t => t.Id == taskId))
            ?? await OpenLoadedAsync(await InstanceRows.LockByTaskAsync(Db, taskId, ct), ct);

    /// <summary>The running child instances a sub-workflow token started, locked (including any started in this unit).</summary>
    public async Task<List<InstanceSession>> OpenChildrenAsync(Guid parentTokenId, CancellationToken ct)
    {
        var children = _sessions.Values.Where(s => s.Instance.ParentTokenId == parentTokenId).ToList();
        foreach (var id in await InstanceRows.RunningChildrenAsync(Db, parentTokenId, ct))
        {
            if (children.All(c => c.Instance.Id != id) && await OpenAsync(id, ct) is { } child) children.Add(child);
        }

        return children.Where(c => !c.Ended).ToList();
    }

    public InstanceSession Create(WorkflowDefinition definition, string correlationId, JsonObject data, Guid? parentId, Guid? parentTokenId)
    {
        var instance = new InstanceRecord
        {
            Id = Guid.CreateVersion7(), DefinitionName = definition.Name, DefinitionVersion = definition.Version,
            CorrelationId = correlationId, Status = WorkflowInstanceStatus.Running, Data = data.ToJsonString(),
            ParentInstanceId = parentId, ParentTokenId = parentTokenId, StartedAt = Now, Version = 1,
            StatutoryDueAt = StatutoryWorkingDays(definition, data) is int days ? Calendar.DueAt(Now, days) : null,
        };
        var session = new InstanceSession(this, instance, definition, [], isNew: true);
        _sessions.Add(instance.Id, session);
        return session;
    }

    // A limit read from the data must be a whole number of days; a missing field means no statutory clock.
    private int? StatutoryWorkingDays(WorkflowDefinition definition, JsonObject data)
    {
        if (definition.StatutoryWorkingDaysFrom is not { } from) return definition.StatutoryWorkingDays;
        var value = from.Evaluate(new Expressions.EvaluationScope(data, Calendar.LocalDate(Now)));
        if (value is null) return null;
        var days = Expressions.Values.AsNumber(value);
        return days is >= 0 and <= 3650 && decimal.Truncate(days) == days
            ? (int)days
            : throw new Expressions.ExpressionException($"'statutoryWorkingDaysFrom' must give whole days, got {days}");
    }

    public void Observe(Guid instanceId, string? nodeId)
    {
        foreach (var observer in observers) observer.OnStep(new WorkflowStep(instanceId, nodeId));
    }

    /// <summary>Marks a stored timer fired; the instance lock taken before makes the pending check race-free.</summary>
    public void MarkFired(TimerRecord timer)
    {
        timer.Status = TimerStatus.Fired;
        timer.FiredAt = Now;
        _pending.Add("UPDATE wf_timers SET status = {0}, fired_at = {1} WHERE id = {2}", timer.Status, timer.FiredAt, timer.Id);
    }

    /// <summary>Cancels the pending timers and bookmarks of a token that leaves its node.</summary>
    public void ReleaseWaits(InstanceSession session, TokenRecord token, Guid? firedTimerId)
    {
        foreach (var timer in session.NewTimers.Where(t => t.TokenId == token.Id && t.Status == TimerStatus.Pending))
            timer.Status = TimerStatus.Cancelled;
        session.NewBookmarks.RemoveAll(b => b.TokenId == token.Id);

        // A token created in this unit has nothing stored yet.
        if (session.IsNewToken(token)) return;
        var node = session.Definition[token.NodeId];
        if (node is TimerNode or UserTaskNode { Boundary.Count: > 0 })
        {
            // By instance first: wf_timers is indexed on it, and may hold a great many pending timers.
            _pending.Add("UPDATE wf_timers SET status = {0} WHERE instance_id = {1} AND token_id = {2} AND status = {3} AND id <> {4}",
                TimerStatus.Cancelled, token.InstanceId, token.Id, TimerStatus.Pending, firedTimerId ?? Guid.Empty);
        }

        if (node is WaitEventNode) _pending.Add("DELETE FROM wf_bookmarks WHERE token_id = {0}", token.Id);
    }

    /// <summary>Pins a migrated instance to the version its session now holds.</summary>
    public void MoveToVersion(InstanceSession session) =>
        _pending.Add("UPDATE wf_instances SET definition_version = {0} WHERE id = {1}", session.Definition.Version, session.Instance.Id);

    /// <summary>Moves a migrated token's pending timers to the token's new node.</summary>
    public void RetargetTimers(TokenRecord token)
    {
        foreach (var timer in NewTimersOf(token)) timer.NodeId = token.NodeId;
        _pending.Add("UPDATE wf_timers SET node_id = {0} WHERE instance_id = {1} AND token_id = {2} AND status = {3}",
            token.NodeId, token.InstanceId, token.Id, TimerStatus.Pending);
    }

    private IEnumerable<TimerRecord> NewTimersOf(TokenRecord token) =>
        _sessions.Values.SelectMany(s => s.NewTimers).Where(t => t.TokenId == token.Id);

    public async Task SaveAsync(CancellationToken ct)
    {
        foreach (var session in _sessions.Values)
        {
            session.Flush();
            Observe(session.Instance.Id, nodeId: null);
        }

        await UnitWriter.WriteAsync(_pending, _sessions.Values, Now, ct);

        // The host's outbox rows, added to the context by its IWorkflowEventPublisher.
        if (Db.ChangeTracker.HasChanges()) await Db.SaveChangesAsync(ct);
    }

    private async Task<InstanceSession?> OpenLoadedAsync(LockedInstance? loaded, CancellationToken ct)
    {
        if (loaded is not var (instance, tokens, _)) return null;
        if (_sessions.TryGetValue(instance.Id, out var open)) return open;
        var definition = await Definitions.GetAsync(Db, instance.DefinitionName, instance.DefinitionVersion, ct);
        var session = new InstanceSession(this, instance, definition, tokens, isNew: false);
        _sessions.Add(instance.Id, session);
        return session;
    }
}
