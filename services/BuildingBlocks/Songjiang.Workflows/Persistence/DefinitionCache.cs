using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Songjiang.Workflows.Definitions;

namespace Songjiang.Workflows.Persistence;

/// <summary>Compiled definitions by name and version. Versions are immutable once published, so caching is safe.</summary>
internal sealed class DefinitionCache
{
    private readonly ConcurrentDictionary<(string Name, int Version), WorkflowDefinition> _definitions = new();

    public async Task<WorkflowDefinition> GetAsync(DbContext db, string name, int version, CancellationToken ct)
    {
        if (_definitions.TryGetValue((name, version), out var cached)) return cached;
        var record = await db.Set<DefinitionRecord>().AsNoTracking()
            .FirstOrDefaultAsync(d => d.Name == name && d.Version == version, ct)
            ?? throw new WorkflowNotFoundException($"Workflow definition '{name}' version {version} is not published.");
        return _definitions.GetOrAdd((name, version), WorkflowDefinitionCompiler.Compile(record.Json));
    }

    public async Task<WorkflowDefinition> GetLatestAsync(DbContext db, string name, CancellationToken ct)
    {
        var version = await db.Set<DefinitionRecord>().Where(d => d.Name == name).MaxAsync(d => (int?)d.Version, ct)
            ?? throw new WorkflowNotFoundException($"Workflow definition '{name}' is not published.");
        return await GetAsync(db, name, version, ct);
    }
}
