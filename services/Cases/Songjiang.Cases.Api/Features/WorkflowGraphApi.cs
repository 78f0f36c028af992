using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Songjiang.Cases.Api.Infrastructure;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Problems;
using Songjiang.Workflows;

namespace Songjiang.Cases.Api.Features;

/// <summary>
/// <c>GET /api/cases/applications/{number}/workflow</c>: the graph of the workflow definition version the case runs on
/// (its nodes and transitions) and where the case is now, for drawing — to whoever may read the application.
/// </summary>
public static class WorkflowGraphApi
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapWorkflowGraphApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/cases/applications/{number}/workflow", GetAsync).WithName("ApplicationWorkflow").WithTags("Applications")
            .WithSummary("The case's workflow definition as a graph (nodes, transitions) with the steps it waits at now.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(PlatformPolicies.Authenticated);
        return endpoints;
    }

    private static async Task<Ok<CaseWorkflowGraph>> GetAsync(
        string number, ClaimsPrincipal user, CasesDbContext db, IWorkflowRuntime workflows, CancellationToken cancellationToken)
    {
        var application = await ApplicationAccess.LoadReadableAsync(db, new Caller(user), number, cancellationToken);
        if (application.WorkflowInstanceId is not { } instanceId)
        {
            throw new NotFoundException($"办件 {number} 尚未开始办理流程。");
        }
        WorkflowInstanceView view;
        try
        {
            view = await workflows.GetInstanceViewAsync(instanceId, cancellationToken);
        }
        catch (WorkflowNotFoundException)
        {
            throw new NotFoundException($"办件 {number} 的办理流程不存在。");
        }
        return TypedResults.Ok(new CaseWorkflowGraph(
            application.Number, view.DefinitionName, view.DefinitionVersion, view.Status.ToString(), view.Outcome,
            [.. view.Nodes.Select(n => new CaseWorkflowNode(n.Id, n.Kind, n.Title))],
            [.. view.Edges.Select(e => new CaseWorkflowEdge(e.From, e.To, e.Label))],
            [.. view.Tokens.Select(t => t.NodeId).Distinct()],
            view.Incidents.Count > 0));
    }
}

/// <summary>A case's workflow as a graph.</summary>
/// <param name="Application">The application number.</param>
/// <param name="Definition">The definition's name.</param>
/// <param name="Version">The definition version the case is pinned to.</param>
/// <param name="Status">The instance's status (Running, Completed, Cancelled…).</param>
/// <param name="Outcome">The end outcome, once ended.</param>
/// <param name="Nodes">Every node of the definition.</param>
/// <param name="Edges">Every transition, labelled with the action or condition that takes it.</param>
/// <param name="Current">The nodes the case waits at now (several in a parallel fork).</param>
/// <param name="HasIncident">Whether a step failed and waits for an administrator's retry.</param>
public sealed record CaseWorkflowGraph(
    string Application, string Definition, int Version, string Status, string? Outcome, IReadOnlyList<CaseWorkflowNode> Nodes,
    IReadOnlyList<CaseWorkflowEdge> Edges, IReadOnlyList<string> Current, bool HasIncident);

/// <summary>A node: its id, kind (start, userTask, decision, fork, join, end…) and title.</summary>
public sealed record CaseWorkflowNode(string Id, string Kind, string? Title);

/// <summary>A transition from one node to another.</summary>
public sealed record CaseWorkflowEdge(string From, string To, string? Label);
