using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Songjiang.Workflows.Definitions;
using Songjiang.Workflows.Persistence;

namespace Songjiang.Workflows.Runtime;

/// <summary>What an operations console needs: definitions with their graphs, instances, incidents, and migration.</summary>
internal sealed partial class WorkflowRuntime<TContext>
{
    // A migration call moves at most this many instances; the administrator repeats it for the rest.
    private const int MigrationBatch = 500;

    public async Task<IReadOnlyList<WorkflowMigrationResult>> MigrateAsync(
        WorkflowMigration migration, WorkflowActor actor, CancellationToken cancellationToken = default)
    {
        List<Guid> ids;
        Definitions.WorkflowDefinition target;
        await using (var scope = _scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TContext>();
            target = await _definitions.GetAsync(db, migration.DefinitionName, migration.ToVersion, cancellationToken);
            var unknown = migration.NodeMapping.Where(m => !target.Nodes.ContainsKey(m.Value))
                .Select(m => $"mapping: '{m.Key}' → '{m.Value}': version {target.Version} has no node '{m.Value}'").ToList();
            if (unknown.Count > 0) throw new WorkflowDefinitionException(unknown);

            var instances = db.Set<InstanceRecord>().AsNoTracking().Where(i => i.DefinitionName == migration.DefinitionName
                && (i.Status == WorkflowInstanceStatus.Running || i.Status == WorkflowInstanceStatus.Faulted)
                && i.DefinitionVersion < migration.ToVersion);
            if (migration.FromVersion is { } fromVersion) instances = instances.Where(i => i.DefinitionVersion == fromVersion);
            if (migration.InstanceIds is { Count: > 0 } only) instances = instances.Where(i => only.Contains(i.Id));
            ids = await instances.OrderBy(i => i.StartedAt).Select(i => i.Id).Take(MigrationBatch).ToListAsync(cancellationToken);
        }

        var results = new List<WorkflowMigrationResult>();
        foreach (var id in ids)
        {
            if (await _commands.MigrateAsync(id, target, migration, actor, cancellationToken) is { } result) results.Add(result);
        }

        return results;
    }

    public async Task<IReadOnlyList<WorkflowDefinitionSummary>> GetDefinitionsAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var definitions = await db.Set<DefinitionRecord>().AsNoTracking().OrderBy(d => d.Name).ThenBy(d => d.Version).ToListAsync(cancellationToken);
        var active = await db.Set<InstanceRecord>().AsNoTracking()
            .Where(i => i.Status == WorkflowInstanceStatus.Running || i.Status == WorkflowInstanceStatus.Faulted)
            .GroupBy(i => new { i.DefinitionName, i.DefinitionVersion })
            .Select(g => new { g.Key.DefinitionName, g.Key.DefinitionVersion, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var list = new List<WorkflowDefinitionSummary>();
        foreach (var record in definitions)
        {
            var compiled = await _definitions.GetAsync(db, record.Name, record.Version, cancellationToken);
            list.Add(new WorkflowDefinitionSummary(record.Name, record.Version, compiled.Title, record.PublishedAt,
                active.FirstOrDefault(a => a.DefinitionName == record.Name && a.DefinitionVersion == record.Version)?.Count ?? 0));
        }

        return list;
    }

    public async Task<WorkflowDefinitionView> GetDefinitionAsync(string name, int version, CancellationToken cancellationToken = default)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var definition = await _definitions.GetAsync(db, name, version, cancellationToken);
        var publishedAt = await db.Set<DefinitionRecord>().AsNoTracking().Where(d => d.Name == name && d.Version == version)
            .Select(d => d.PublishedAt).FirstAsync(cancellationToken);
        return new WorkflowDefinitionView(
            definition.Name, definition.Version, definition.Title, definition.StatutoryWorkingDays, publishedAt,
            Graph.Nodes(definition), Graph.Edges(definition));
    }

    public async Task<WorkflowPage<WorkflowInstanceSummary>> FindInstancesAsync(WorkflowInstanceQuery query, CancellationToken cancellationToken = default)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var instances = db.Set<InstanceRecord>().AsNoTracking();
        if (query.DefinitionName is { } name) instances = instances.Where(i => i.DefinitionName == name);
        if (query.Version is { } version) instances = instances.Where(i => i.DefinitionVersion == version);
        if (query.CorrelationId is { } correlation) instances = instances.Where(i => i.CorrelationId == correlation);
        instances = query.Status is { } status
            ? instances.Where(i => i.Status == status)
            : instances.Where(i => i.Status == WorkflowInstanceStatus.Running || i.Status == WorkflowInstanceStatus.Faulted);
        if (query.NodeId is { } node)
        {
            var tokens = db.Set<TokenRecord>().AsNoTracking();
            instances = instances.Where(i => tokens.Any(t => t.InstanceId == i.Id && t.Status == TokenStatus.Waiting && t.NodeId == node));
        }

        var total = await instances.CountAsync(cancellationToken);
        var page = await instances.OrderBy(i => i.StartedAt).ThenBy(i => i.Id).Skip(query.Skip).Take(query.Take).ToListAsync(cancellationToken);
        var ids = page.Select(i => i.Id).ToList();
        var waiting = await db.Set<TokenRecord>().AsNoTracking()
            .Where(t => ids.Contains(t.InstanceId) && t.Status == TokenStatus.Waiting)
            .Select(t => new { t.InstanceId, t.NodeId }).ToListAsync(cancellationToken);
        return new WorkflowPage<WorkflowInstanceSummary>(
            [.. page.Select(i => new WorkflowInstanceSummary(
                i.Id, i.DefinitionName, i.DefinitionVersion, i.CorrelationId, i.Status, i.StartedAt, i.EndedAt, i.StatutoryDueAt,
                i.ClockPausedAt is not null, [.. waiting.Where(w => w.InstanceId == i.Id).Select(w => w.NodeId).Distinct()]))],
            total);
    }

    public async Task<WorkflowPage<WorkflowIncidentView>> FindIncidentsAsync(WorkflowIncidentQuery query, CancellationToken cancellationToken = default)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var rows =
            from t in db.Set<TokenRecord>().AsNoTracking()
            where t.Status == TokenStatus.Waiting && t.Incident != null
            join i in db.Set<InstanceRecord>().AsNoTracking() on t.InstanceId equals i.Id
            select new { Token = t, Instance = i };
        if (query.DefinitionName is { } name) rows = rows.Where(r => r.Instance.DefinitionName == name);
        var total = await rows.CountAsync(cancellationToken);
        var page = await rows.OrderBy(r => r.Token.CreatedAt).ThenBy(r => r.Token.Id).Skip(query.Skip).Take(query.Take).ToListAsync(cancellationToken);
        return new WorkflowPage<WorkflowIncidentView>(
            [.. page.Select(r => new WorkflowIncidentView(
                r.Instance.Id, r.Instance.CorrelationId, r.Instance.DefinitionName, r.Instance.DefinitionVersion, r.Token.Id,
                r.Token.NodeId, r.Token.Incident!, r.Token.CreatedAt))],
            total);
    }
}

/// <summary>The drawable graph of a definition.</summary>
internal static class Graph
{
    public static List<WorkflowGraphNode> Nodes(Definitions.WorkflowDefinition definition) =>
        [.. definition.Nodes.Values.Select(n => new WorkflowGraphNode(n.Id, n.Kind, n.Title))];

    public static List<WorkflowGraphEdge> Edges(Definitions.WorkflowDefinition definition) =>
        [.. definition.Nodes.Values.SelectMany(n => n.Transitions.Select(t => new WorkflowGraphEdge(n.Id, t.To, t.Label)))];
}
