using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Songjiang.Cases.Api.Domain;
using Songjiang.Cases.Api.Infrastructure;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Problems;

namespace Songjiang.Cases.Api.Features;

/// <summary>
/// A case's audit history for caseworkers and administrators: every task event (opened, claimed, released,
/// reassigned, sent back, co-signed, signer added, transferred, completed, cancelled), in Chinese with the actor's name.
/// </summary>
public static class AuditApi
{
    /// <summary>Maps <c>GET /api/cases/applications/{number}/audit</c>.</summary>
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/cases/applications/{number}/audit", GetAsync).WithName("ApplicationAudit").WithTags("Applications")
            .RequireAuthorization(PlatformPolicies.Authenticated)
            .WithSummary("The task events of an application (and a bundle's matters) in order, for caseworkers who handle it and administrators.");
        return endpoints;
    }

    private static async Task<Ok<IReadOnlyList<AuditEntry>>> GetAsync(string number, ClaimsPrincipal user, CasesDbContext db, CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        if (!caller.IsCaseworker && !caller.IsAdmin)
        {
            throw new ForbiddenException("办件的审批过程记录仅供经办工作人员和管理员查看。");
        }
        var application = await ApplicationAccess.LoadReadableAsync(db, caller, number, cancellationToken);
        var family = await db.Applications.AsNoTracking().Where(a => a.Id == application.Id || a.ParentId == application.Id)
            .Select(a => a.Id).ToListAsync(cancellationToken);
        var events = await db.TaskEvents.AsNoTracking().Where(e => family.Contains(e.ApplicationId)).ToListAsync(cancellationToken);
        // One workflow step closes tasks and opens others at the same instant: the closings read first.
        return TypedResults.Ok<IReadOnlyList<AuditEntry>>([.. events.OrderBy(e => e.At).ThenBy(e => e.Kind == TaskEventKinds.Opened).Select(e => new AuditEntry(
            Songjiang.ServiceDefaults.Time.ChinaTime.InChina(e.At), e.ApplicationNumber, e.TaskId, e.Kind, TaskEventKinds.NameOf(e.Kind), e.Step,
            e.ActorId, e.ActorName, e.Department, e.Detail))]);
    }
}
