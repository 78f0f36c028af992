using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Paging;
using Songjiang.ServiceDefaults.Problems;
using Songjiang.Workflows;
using Songjiang.Workflows.Definitions;

namespace Songjiang.Cases.Api.Features;

/// <summary>
/// The operations console's view of the workflow runtime (administrators only): definitions and their versions
/// with graphs, publishing a new version, running instances by definition and step, incidents with their error and
/// a retry, and moving running instances to a newer version (dry run first).
/// </summary>
public static class WorkflowAdminApi
{
    /// <summary>Maps <c>/api/cases/admin/workflows</c>.</summary>
    public static IEndpointRouteBuilder MapWorkflowAdminApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/cases/admin/workflows").WithTags("Workflow administration").RequireAuthorization(PlatformPolicies.Admin);
        api.MapGet("/definitions", DefinitionsAsync).WithName("ListWorkflowDefinitions")
            .WithSummary("Every published definition version, with how many instances are running (or faulted) on it.");
        api.MapGet("/definitions/{name}/versions/{version:int}", DefinitionAsync).WithName("GetWorkflowDefinition")
            .WithSummary("One definition version with its graph (nodes and edges).");
        api.MapPost("/definitions", PublishAsync).WithName("PublishWorkflowDefinition")
            .WithSummary("Publishes a definition version (the JSON document); published versions are immutable.");
        api.MapGet("/instances", InstancesAsync).WithName("ListWorkflowInstances")
            .WithSummary("Instances by definition, version, the step where they wait, status or business key; running and faulted by default.");
        api.MapGet("/incidents", IncidentsAsync).WithName("ListWorkflowIncidents").WithSummary("Open incidents (faulted steps) with their error, oldest first.");
        api.MapPost("/instances/{id:guid}/retry", RetryAsync).WithName("RetryWorkflowIncidents")
            .WithSummary("Corrects top-level instance data (optional) and runs the instance's faulted steps again.");
        api.MapPost("/definitions/{name}/migrations", MigrateAsync).WithName("MigrateWorkflowInstances")
            .WithSummary("Moves running instances to a newer version with a step mapping, each in its own transaction; dryRun lists what would happen.");
        return endpoints;
    }

    /// <summary>A definition version as the console lists it.</summary>
    public sealed record DefinitionSummary(string Name, int Version, string? Title, DateTimeOffset PublishedAt, int ActiveInstances);

    /// <summary>A published definition's name and version.</summary>
    public sealed record PublishedDefinition(string Name, int Version);

    /// <summary>Filters of the instance listing.</summary>
    /// <param name="Definition">Definition name.</param>
    /// <param name="Version">Pinned version.</param>
    /// <param name="Step">Node id where a token waits.</param>
    /// <param name="Status"><c>running</c>, <c>faulted</c>, <c>completed</c>, <c>cancelled</c>; by default running and faulted.</param>
    /// <param name="Correlation">Business key (application correlation).</param>
    /// <param name="Page">Page, from 1.</param>
    /// <param name="PageSize">Page size, 1–100.</param>
    public sealed record InstanceQuery(string? Definition, int? Version, string? Step, string? Status, string? Correlation, int? Page, int? PageSize);

    /// <summary>An instance as the console lists it.</summary>
    public sealed record InstanceSummary(
        Guid Id, string Definition, int Version, string Correlation, string Status, DateTimeOffset StartedAt, DateTimeOffset? EndedAt,
        DateTimeOffset? StatutoryDueAt, bool ClockPaused, IReadOnlyList<string> WaitingAt);

    /// <summary>Filters of the incident listing.</summary>
    public sealed record IncidentQuery(string? Definition, int? Page, int? PageSize);

    /// <summary>An incident.</summary>
    public sealed record IncidentView(
        Guid InstanceId, string Correlation, string Definition, int Version, Guid TokenId, string Step, string Error, DateTimeOffset Since);

    /// <summary>Corrections of top-level instance data before the retry.</summary>
    public sealed record RetryRequest(JsonObject? Corrections);

    /// <summary>The outcome of a retry.</summary>
    public sealed record RetryResult(bool Applied, string? Reason, IReadOnlyList<Guid> OpenTaskIds);

    /// <summary>A migration: the target version, old step → new step mapping, dry run or not, and optional filters.</summary>
    public sealed record MigrationRequest(int? ToVersion, Dictionary<string, string>? Mapping, bool? DryRun, int? FromVersion, IReadOnlyList<Guid>? Instances);

    /// <summary>One instance's migration.</summary>
    public sealed record MigrationResult(
        Guid InstanceId, string Correlation, int FromVersion, int ToVersion, string Outcome, string? Reason, IReadOnlyList<StepMove> Moves);

    /// <summary>A waiting step's move.</summary>
    public sealed record StepMove(string From, string To, string Kind);

    private static async Task<Ok<IReadOnlyList<DefinitionSummary>>> DefinitionsAsync(IWorkflowRuntime workflows, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<DefinitionSummary>>([.. (await workflows.GetDefinitionsAsync(cancellationToken))
            .Select(d => new DefinitionSummary(d.Name, d.Version, d.Title, China(d.PublishedAt), d.ActiveInstances))]);

    private static async Task<Ok<WorkflowDefinitionView>> DefinitionAsync(string name, int version, IWorkflowRuntime workflows, CancellationToken cancellationToken)
    {
        try
        {
            var view = await workflows.GetDefinitionAsync(name, version, cancellationToken);
            return TypedResults.Ok(view with { PublishedAt = China(view.PublishedAt) });
        }
        catch (WorkflowNotFoundException)
        {
            throw new NotFoundException($"流程“{name}”没有发布第 {version} 版。");
        }
    }

    private static async Task<Created<PublishedDefinition>> PublishAsync(JsonElement definition, IWorkflowRuntime workflows, CancellationToken cancellationToken)
    {
        if (definition.ValueKind != JsonValueKind.Object)
        {
            throw new ValidationFailedException("definition", "请提交流程定义的 JSON 对象。");
        }
        try
        {
            var (name, version) = await workflows.PublishDefinitionAsync(definition.GetRawText(), cancellationToken);
            return TypedResults.Created($"/api/cases/admin/workflows/definitions/{Uri.EscapeDataString(name)}/versions/{version}", new PublishedDefinition(name, version));
        }
        catch (WorkflowDefinitionException e)
        {
            throw new ValidationFailedException(new Dictionary<string, string[]> { ["definition"] = [.. e.Errors] });
        }
    }

    private static async Task<Ok<ResultPage<InstanceSummary>>> InstancesAsync(
        [AsParameters] InstanceQuery query, IWorkflowRuntime workflows, CancellationToken cancellationToken)
    {
        var page = PageRequest.Clamped(query.Page, query.PageSize);
        WorkflowInstanceStatus? status = query.Status switch
        {
            null or "" => null,
            "running" => WorkflowInstanceStatus.Running,
            "faulted" => WorkflowInstanceStatus.Faulted,
            "completed" => WorkflowInstanceStatus.Completed,
            "cancelled" => WorkflowInstanceStatus.Cancelled,
            _ => throw new ValidationFailedException("status", "须为 running、faulted、completed 或 cancelled。"),
        };
        var found = await workflows.FindInstancesAsync(new WorkflowInstanceQuery(
            Blank(query.Definition), query.Version, Blank(query.Step), status, Blank(query.Correlation), page.Skip, page.PageSize), cancellationToken);
        return TypedResults.Ok(new ResultPage<InstanceSummary>([.. found.Items.Select(i => new InstanceSummary(
            i.Id, i.DefinitionName, i.DefinitionVersion, i.CorrelationId, i.Status.ToString().ToLowerInvariant(), China(i.StartedAt),
            i.EndedAt is { } ended ? China(ended) : null, i.StatutoryDueAt is { } due ? China(due) : null, i.ClockPaused, i.WaitingAt))],
            page.Page, page.PageSize, found.Total));
    }

    private static async Task<Ok<ResultPage<IncidentView>>> IncidentsAsync(
        [AsParameters] IncidentQuery query, IWorkflowRuntime workflows, CancellationToken cancellationToken)
    {
        var page = PageRequest.Clamped(query.Page, query.PageSize);
        var found = await workflows.FindIncidentsAsync(new WorkflowIncidentQuery(Blank(query.Definition), page.Skip, page.PageSize), cancellationToken);
        return TypedResults.Ok(new ResultPage<IncidentView>([.. found.Items.Select(i => new IncidentView(
            i.InstanceId, i.CorrelationId, i.DefinitionName, i.DefinitionVersion, i.TokenId, i.NodeId, i.Error, China(i.Since)))],
            page.Page, page.PageSize, found.Total));
    }

    private static async Task<Ok<RetryResult>> RetryAsync(
        Guid id, RetryRequest? request, ClaimsPrincipal user, IWorkflowRuntime workflows, CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        try
        {
            var result = await workflows.RetryIncidentsAsync(id, request?.Corrections, new WorkflowActor(caller.Id, "platform", [PlatformRoles.Admin]), cancellationToken);
            return TypedResults.Ok(new RetryResult(result.Applied, result.Applied ? null : "该流程实例没有待处理的故障。", result.OpenTaskIds));
        }
        catch (WorkflowNotFoundException)
        {
            throw new NotFoundException($"没有流程实例 {id}。");
        }
    }

    private static async Task<Ok<IReadOnlyList<MigrationResult>>> MigrateAsync(
        string name, MigrationRequest request, ClaimsPrincipal user, IWorkflowRuntime workflows, CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        if (request.ToVersion is not { } toVersion || toVersion < 1)
        {
            throw new ValidationFailedException("toVersion", "请指明迁移到的版本号。");
        }
        var mapping = request.Mapping ?? [];
        if (mapping.Any(m => string.IsNullOrWhiteSpace(m.Key) || string.IsNullOrWhiteSpace(m.Value)))
        {
            throw new ValidationFailedException("mapping", "映射须为“旧环节 → 新环节”的环节编号。");
        }
        try
        {
            var results = await workflows.MigrateAsync(new WorkflowMigration(
                name, toVersion, mapping, request.DryRun ?? true, request.FromVersion, request.Instances),
                new WorkflowActor(caller.Id, "platform", [PlatformRoles.Admin]), cancellationToken);
            return TypedResults.Ok<IReadOnlyList<MigrationResult>>([.. results.Select(r => new MigrationResult(
                r.InstanceId, r.CorrelationId, r.FromVersion, r.ToVersion, r.Outcome.ToString().ToLowerInvariant(), r.Reason,
                [.. r.Moves.Select(m => new StepMove(m.From, m.To, m.Kind))]))]);
        }
        catch (WorkflowNotFoundException)
        {
            throw new NotFoundException($"流程“{name}”没有发布第 {toVersion} 版。");
        }
        catch (WorkflowDefinitionException e)
        {
            throw new ValidationFailedException(new Dictionary<string, string[]> { ["mapping"] = [.. e.Errors] });
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static DateTimeOffset China(DateTimeOffset at) => Songjiang.ServiceDefaults.Time.ChinaTime.InChina(at);
}
