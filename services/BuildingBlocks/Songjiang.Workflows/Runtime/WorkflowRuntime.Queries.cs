using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Songjiang.Workflows.Definitions;
using Songjiang.Workflows.Persistence;

namespace Songjiang.Workflows.Runtime;

/// <summary>Read side: work lists, journal and the instance view. Reads take no locks.</summary>
internal sealed partial class WorkflowRuntime<TContext>
{
    public async Task<IReadOnlyList<WorkflowTask>> GetTasksAsync(
        string department, IReadOnlyCollection<string> roles, CancellationToken cancellationToken = default)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var rows = await (
            from t in db.Set<TokenRecord>().AsNoTracking()
            where t.Department == department && t.Status == TokenStatus.Waiting
            join i in db.Set<InstanceRecord>().AsNoTracking() on t.InstanceId equals i.Id
            select new { Token = t, i.CorrelationId, i.DefinitionName, i.DefinitionVersion }).ToListAsync(cancellationToken);

        var tasks = new List<WorkflowTask>();
        foreach (var row in rows)
        {
            var candidateRoles = row.Token.Roles!.Split(',');
            if (!candidateRoles.Intersect(roles).Any()) continue;
            var definition = await _definitions.GetAsync(db, row.DefinitionName, row.DefinitionVersion, cancellationToken);
            var node = definition.Node<UserTaskNode>(row.Token.NodeId);
            tasks.Add(new WorkflowTask(
                row.Token.Id, row.Token.InstanceId, row.CorrelationId, node.Id, node.Title, department, candidateRoles,
                node.Actions.Keys.ToList(), row.Token.CreatedAt, row.Token.DueAt, row.Token.Escalated));
        }

        return tasks.OrderBy(t => t.DueAt ?? DateTimeOffset.MaxValue).ThenBy(t => t.CreatedAt).ToList();
    }

    public async Task<IReadOnlyList<WorkflowJournalEntry>> GetJournalAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var steps = await scope.ServiceProvider.GetRequiredService<TContext>().Set<JournalRecord>().AsNoTracking()
            .Where(j => j.InstanceId == instanceId).OrderBy(j => j.Step).Select(j => new { j.At, j.Entries }).ToListAsync(cancellationToken);
        return JournalEntries.Read(steps.Select(s => (s.At, s.Entries)));
    }

    public async Task<WorkflowInstanceView> GetInstanceViewAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var instance = await db.Set<InstanceRecord>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == instanceId, cancellationToken)
            ?? throw new WorkflowNotFoundException($"Workflow instance {instanceId} does not exist.");
        var tokens = await db.Set<TokenRecord>().AsNoTracking()
            .Where(t => t.InstanceId == instanceId && t.Status == TokenStatus.Waiting).ToListAsync(cancellationToken);
        var definition = await _definitions.GetAsync(db, instance.DefinitionName, instance.DefinitionVersion, cancellationToken);

        return new WorkflowInstanceView(
            instance.Id, instance.DefinitionName, instance.DefinitionVersion, instance.CorrelationId, instance.Status,
            instance.Outcome, JsonNode.Parse(instance.Data)!.AsObject(), instance.StatutoryDueAt, instance.ClockPausedAt is not null,
            definition.Nodes.Values.Select(n => new WorkflowGraphNode(n.Id, n.Kind, n.Title)).ToList(),
            definition.Nodes.Values.SelectMany(n => n.Transitions.Select(t => new WorkflowGraphEdge(n.Id, t.To, t.Label))).ToList(),
            tokens.Select(t => new WorkflowTokenView(t.Id, t.NodeId, t.CreatedAt, t.DueAt)).ToList(),
            tokens.Where(t => t.Incident is not null).Select(t => new WorkflowIncident(t.Id, t.NodeId, t.Incident!)).ToList());
    }
}
