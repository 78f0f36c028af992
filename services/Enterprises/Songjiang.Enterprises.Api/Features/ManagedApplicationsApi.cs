using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Songjiang.Enterprises.Api.Domain;
using Songjiang.Enterprises.Api.Infrastructure;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Paging;
using Songjiang.ServiceDefaults.Problems;

namespace Songjiang.Enterprises.Api.Features;

/// <summary>
/// The applications of the enterprises an account manager (店小二) manages, from the cases service's events. Bundle
/// children (一件事) are listed under their parent.
/// </summary>
public static class ManagedApplicationsApi
{
    /// <summary>Maps <c>GET /api/enterprises/managed/applications</c>.</summary>
    public static IEndpointRouteBuilder MapManagedApplicationsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api/enterprises/managed/applications").WithTags("Account managers and qualifications")
            .RequireAuthorization(PlatformPolicies.Authenticated)
            .MapGet("/", ListAsync).WithName("ManagedApplications")
            .WithSummary("Open applications of the enterprises the caseworker manages (admins: of every enterprise); ?uscc=&status=&page=&pageSize=");
        return endpoints;
    }

    private static async Task<Ok<ResultPage<ManagedApplicationView>>> ListAsync(
        [AsParameters] ManagedApplicationsQuery query, ClaimsPrincipal user, EnterprisesDbContext db, CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        if (!caller.IsAdmin && !caller.IsCaseworker)
        {
            throw new ForbiddenException("只有客户经理（工作人员）和管理员可以查看所服务企业的申请。");
        }
        var check = new EnterpriseValidation();
        var uscc = string.IsNullOrWhiteSpace(query.Uscc) ? null : check.Uscc(query.Uscc);
        IReadOnlyList<ApplicationStatus> statuses = TrackedApplication.OpenStatuses;
        if (!string.IsNullOrWhiteSpace(query.Status))
        {
            if (Enum.TryParse<ApplicationStatus>(query.Status.Trim(), ignoreCase: true, out var status) && !int.TryParse(query.Status, out _))
            {
                statuses = [status];
            }
            else
            {
                check.Add("status", $"“{query.Status}”不是有效的申请状态，可选 {string.Join("、", Enum.GetNames<ApplicationStatus>())}。");
            }
        }
        var page = query.Page ?? 1;
        var pageSize = query.PageSize ?? 20;
        if (page < 1)
        {
            check.Add("page", "页码从 1 开始。");
        }
        if (pageSize is < 1 or > PageRequest.MaxPageSize)
        {
            check.Add("pageSize", $"每页条数须在 1 到 {PageRequest.MaxPageSize} 之间。");
        }
        check.ThrowIfInvalid();

        var applications = db.TrackedApplications.AsNoTracking().Where(a => a.ParentNumber == null && statuses.Contains(a.Status));
        if (!caller.IsAdmin)
        {
            var managed = await db.Enterprises.AsNoTracking()
                .Where(e => e.AccountManager != null && e.AccountManager.UserId == caller.Id)
                .Select(e => e.Uscc).ToListAsync(cancellationToken);
            if (uscc is not null && !managed.Contains(uscc))
            {
                throw new ForbiddenException($"您不是企业 {uscc} 的客户经理。");
            }
            applications = applications.Where(a => a.ApplicantUscc != null && managed.Contains(a.ApplicantUscc));
        }
        if (uscc is not null)
        {
            applications = applications.Where(a => a.ApplicantUscc == uscc);
        }

        var total = await applications.CountAsync(cancellationToken);
        var items = await applications.OrderByDescending(a => a.LastChangedAt).ThenBy(a => a.Number)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        var numbers = items.Where(a => a.BundleCode != null).Select(a => a.Number).ToList();
        var children = numbers.Count == 0
            ? []
            : await db.TrackedApplications.AsNoTracking().Where(a => a.ParentNumber != null && numbers.Contains(a.ParentNumber))
                .OrderBy(a => a.Number).ToListAsync(cancellationToken);
        var holders = items.Select(a => a.ApplicantUscc).OfType<string>().Distinct().ToList();
        var names = await db.Enterprises.AsNoTracking().Where(e => holders.Contains(e.Uscc))
            .ToDictionaryAsync(e => e.Uscc, e => e.Name, cancellationToken);

        ManagedApplicationView View(TrackedApplication a, IReadOnlyList<ManagedApplicationView> nested) => new(
            a.ApplicationId, a.Number, a.MatterCode, a.BundleCode, a.Name, a.ApplicantUscc,
            a.ApplicantUscc is null ? null : names.GetValueOrDefault(a.ApplicantUscc), a.Status, a.Outcome, a.DueAt, a.LastChangedAt, nested);
        var views = items.Select(a => View(a, [.. children
            .Where(c => c.ParentNumber == a.Number && c.ApplicantUscc == a.ApplicantUscc)
            .Select(c => View(c, []))])).ToList();
        return TypedResults.Ok(new ResultPage<ManagedApplicationView>(views, page, pageSize, total));
    }

    /// <summary>Filters and paging: an enterprise, a status (default: the open ones), page and size.</summary>
    public sealed record ManagedApplicationsQuery(string? Uscc, string? Status, int? Page, int? PageSize);
}

/// <summary>An application as its enterprise's account manager sees it; a bundle parent lists its children.</summary>
public sealed record ManagedApplicationView(
    Guid ApplicationId,
    string Number,
    string? MatterCode,
    string? BundleCode,
    string? Name,
    string? ApplicantUscc,
    string? EnterpriseName,
    ApplicationStatus Status,
    string? Outcome,
    DateTimeOffset? DueAt,
    DateTimeOffset LastChangedAt,
    IReadOnlyList<ManagedApplicationView> Children);
