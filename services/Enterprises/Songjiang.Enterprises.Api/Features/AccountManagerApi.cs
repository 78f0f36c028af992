using Songjiang.ServiceDefaults.Time;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Songjiang.Enterprises.Api.Domain;
using Songjiang.Enterprises.Api.Infrastructure;
using Songjiang.ServiceDefaults.Authentication;
using System.Security.Claims;

namespace Songjiang.Enterprises.Api.Features;

/// <summary>Account managers (店小二) and the qualifications an enterprise holds.</summary>
public static class AccountManagerApi
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapAccountManagerApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/enterprises").WithTags("Account managers and qualifications")
            .RequireAuthorization(PlatformPolicies.Authenticated);
        api.MapPut("/{uscc}/account-manager", AssignAsync).WithName("AssignAccountManager")
            .WithSummary("Assigns a caseworker as the enterprise's account manager (admins).")
            .RequireAuthorization(PlatformPolicies.Admin);
        api.MapGet("/managed", ManagedAsync).WithName("ManagedEnterprises")
            .WithSummary("The enterprises the calling caseworker manages.")
            .RequireAuthorization(PlatformPolicies.Caseworker);
        api.MapPost("/{uscc}/qualifications", AddQualificationAsync).WithName("AddQualification")
            .WithSummary("Records a qualification with its validity (market regulation, admins).");
        return endpoints;
    }

    private static async Task<Ok<EnterpriseView>> AssignAsync(
        string uscc, AssignAccountManagerRequest request, ClaimsPrincipal user, EnterprisesDbContext db, ProfileJournal journal,
        StaffDirectory directory, TimeProvider clock, CancellationToken cancellationToken)
    {
        var check = new EnterpriseValidation();
        var userId = check.Text("userId", request.UserId, 64);
        check.ThrowIfInvalid();

        // The manager must be a real caseworker; name and department are the directory's, never the caller's.
        var member = await directory.FindAsync(userId!, cancellationToken);
        if (member is null || member.Department is null || !member.IsCaseworkerOf(member.Department))
        {
            check.Add("userId", member is null ? $"没有启用中的账号“{userId}”。" : $"“{member.DisplayName}”不是政府部门工作人员，不能担任客户经理。");
            check.ThrowIfInvalid();
        }

        var caller = new Caller(user);
        var enterprise = await EnterprisesApi.LoadReadableAsync(db, caller, uscc, cancellationToken, tracked: true);
        enterprise.AccountManager = new AccountManager(member!.Id, member.DisplayName, member.Department!);
        journal.Record(enterprise, caller.Id, "account-manager-assigned", $"指定客户经理：{member.DisplayName}。", actorName: caller.Name);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(EnterpriseView.Of(enterprise, ChinaTime.Today(clock)));
    }

    private static async Task<Ok<List<EnterpriseSummary>>> ManagedAsync(ClaimsPrincipal user, EnterprisesDbContext db, CancellationToken cancellationToken)
    {
        var me = new Caller(user).Id;
        var managed = await db.Enterprises.AsNoTracking().Where(e => e.AccountManager != null && e.AccountManager.UserId == me)
            .OrderBy(e => e.Name)
            .Select(e => new EnterpriseSummary(e.Uscc, e.Name, e.Location, e.IndustryCode, e.Stage, e.CreditRating))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(managed);
    }

    private static async Task<Results<Created<EnterpriseView>, ForbidHttpResult>> AddQualificationAsync(
        string uscc, AddQualificationRequest request, ClaimsPrincipal user, EnterprisesDbContext db, ProfileJournal journal,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        if (!caller.CanRegister)
        {
            return TypedResults.Forbid();
        }
        var check = new EnterpriseValidation();
        var kind = check.Text("kind", request.Kind, 40);
        if (kind is not null && !EnterpriseValidation.QualificationKinds.Contains(kind))
        {
            check.Add("kind", $"“{kind}”不是可登记的资质类型，可选 {string.Join("、", EnterpriseValidation.QualificationKinds)}。");
        }
        var number = check.Text("certificateNumber", request.CertificateNumber, 64);
        if (request.ValidFrom is null || request.ValidUntil is null)
        {
            check.Add("validUntil", "须填写有效期的起止日期（validFrom 和 validUntil）。");
        }
        else if (request.ValidUntil < request.ValidFrom)
        {
            check.Add("validUntil", "有效期的截止日期不能早于起始日期。");
        }
        check.ThrowIfInvalid();

        var enterprise = await EnterprisesApi.LoadReadableAsync(db, caller, uscc, cancellationToken, tracked: true);
        enterprise.Qualifications.Add(new Qualification
        {
            Kind = kind!, CertificateNumber = number!, ValidFrom = request.ValidFrom!.Value, ValidUntil = request.ValidUntil!.Value,
        });
        journal.Record(enterprise, caller.Id, "qualification-added",
            $"登记资质：{EnterpriseValidation.QualificationName(kind!)}（证书编号 {number}），有效期 {request.ValidFrom:yyyy-MM-dd} 至 {request.ValidUntil:yyyy-MM-dd}。",
            publishedFields: ["qualifications"], actorName: caller.Name);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/enterprises/{enterprise.Uscc}", EnterpriseView.Of(enterprise, ChinaTime.Today(clock)));
    }
}
