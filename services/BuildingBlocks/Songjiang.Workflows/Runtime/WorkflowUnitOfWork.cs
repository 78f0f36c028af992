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
    Func<IWorkflowEventPublisher> publisher, IEnumerable<IWorkflowStepObserver> observers)
{
    private readonly Dictionary<Guid, InstanceSession> _sessions = [];
    private readonly HashSet<Guid> _created = [];

    public DbContext Db { get; } = db;
    public DateTimeOffset Now { get; } = now;
    public DefinitionCache Definitions { get; } = definitions;
    public WorkingDayCalendar Calendar { get; } = calendar;
    public IWorkflowEventPublisher Publisher => publisher();

    private bool IsPostgres => Db.Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL";

    /// <summary>Locks and loads an instance, or returns the session already open in this unit.</summary>
    public async Task<InstanceSession?> OpenAsync(Guid instanceId, CancellationToken ct)
    {
        if (_sessions.TryGetValue(instanceId, out var open)) return open;

        // On PostgreSQL the row lock serialises resumes across hosts; SQLite's transaction already holds the
        // single writer lock. The version column catches anything that slips past either.
        var instances = IsPostgres
            ? await Db.Set<InstanceRecord>().FromSql($"SELECT * FROM wf_instances WHERE id = {instanceId} FOR UPDATE").ToListAsync(ct)
            : await Db.Set<InstanceRecord>().Where(i => i.Id == instanceId).ToListAsync(ct);
        if (instances is not [var instance]) return null;

        var tokens = await Db.Set<TokenRecord>()
            .Where(t => t.InstanceId == instanceId && t.Status == TokenStatus.Waiting).ToListAsync(ct);
        var definition = await Definitions.GetAsync(Db, instance.DefinitionName, instance.DefinitionVersion, ct);
        var session = new InstanceSession(this, instance, definition, tokens);
        _sessions.Add(instanceId, session);
        return session;
    }

    public InstanceSession Create(WorkflowDefinition definition, string correlationId, JsonObject data, Guid? parentId, Guid? parentTokenId)
    {
        var instance = new InstanceRecord
        {
            Id = Guid.CreateVersion7(), DefinitionName = definition.Name, DefinitionVersion = definition.Version,
            CorrelationId = correlationId, Status = WorkflowInstanceStatus.Running, Data = data.ToJsonString(),
            ParentInstanceId = parentId, ParentTokenId = parentTokenId, StartedAt = Now, Version = 1,
            StatutoryDueAt = definition.StatutoryWorkingDays is int days ? Calendar.DueAt(Now, days) : null,
        };
        Db.Add(instance);
        var session = new InstanceSession(this, instance, definition, []);
        _sessions.Add(instance.Id, session);
        _created.Add(instance.Id);
        return session;
    }

    public void Observe(Guid instanceId, string? nodeId)
    {
        foreach (var observer in observers) observer.OnStep(new WorkflowStep(instanceId, nodeId));
    }

    /// <summary>Cancels the pending timers and bookmarks of a token that leaves its node.</summary>
    public async Task ReleaseWaitsAsync(InstanceSession session, TokenRecord token, Guid? firedTimerId, CancellationToken ct)
    {
        var node = session.Definition[token.NodeId];
        foreach (var timer in session.NewTimers.Where(t => t.TokenId == token.Id && t.Status == TimerStatus.Pending))
            timer.Status = TimerStatus.Cancelled;

        // A token created in this unit has nothing stored yet; skip the round trips.
        if (Db.Entry(token).State == EntityState.Added) return;
        if (node is TimerNode or UserTaskNode { Boundary.Count: > 0 })
        {
            await Db.Set<TimerRecord>()
                .Where(t => t.TokenId == token.Id && t.Status == TimerStatus.Pending && t.Id != firedTimerId)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TimerStatus.Cancelled), ct);
        }

        if (node is WaitEventNode)
            await Db.Set<BookmarkRecord>().Where(b => b.TokenId == token.Id).ExecuteDeleteAsync(ct);
    }

    public async Task SaveAsync(CancellationToken ct)
    {
        foreach (var session in _sessions.Values)
        {
            session.Flush(_created.Contains(session.Instance.Id));
            Observe(session.Instance.Id, nodeId: null);
        }

        await Db.SaveChangesAsync(ct);
    }
}
