using Songjiang.Persistence;
using Songjiang.Workflows;

namespace Songjiang.Cases.Api.Infrastructure;

/// <summary>
/// Publishes the case workflows shipped with the service (Workflows/*.json) at start. Publishing identical JSON is a
/// no-op, and a changed definition must carry a new version: running cases stay on the version they started with.
/// </summary>
public sealed class WorkflowDefinitionsSeeder(IWorkflowRuntime workflows) : IDatabaseSeeder<CasesDbContext>
{
    private const string Prefix = "Songjiang.Cases.Api.Workflows.";

    /// <inheritdoc />
    public async Task SeedAsync(CasesDbContext db, CancellationToken cancellationToken)
    {
        var assembly = typeof(WorkflowDefinitionsSeeder).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            await using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            await workflows.PublishDefinitionAsync(await reader.ReadToEndAsync(cancellationToken), cancellationToken);
        }
    }
}
