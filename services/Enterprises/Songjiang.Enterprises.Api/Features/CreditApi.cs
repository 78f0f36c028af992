using Songjiang.ServiceDefaults.Time;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Songjiang.Enterprises.Api.Domain;
using Songjiang.Enterprises.Api.Infrastructure;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Problems;
using System.Security.Claims;

namespace Songjiang.Enterprises.Api.Features;

/// <summary>Credit (信用): the rating, the records behind it, and the check other services make before 告知承诺.</summary>
public static class CreditApi
{
    /// <summary>Maps the credit endpoints under <c>/api/enterprises/{uscc}/credit</c>.</summary>
    public static IEndpointRouteBuilder MapCreditApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/enterprises/{uscc}/credit").WithTags("Credit").RequireAuthorization(PlatformPolicies.Authenticated);
        api.MapGet("/", GetAsync).WithName("GetCredit").WithSummary("The rating, score and the records in effect.");
        api.MapPost("/records", AddRecordAsync).WithName("AddCreditRecord")
            .WithSummary("Records a broken commitment, a penalty or good conduct (caseworkers); the rating is recomputed.");
        api.MapGet("/commitment-eligibility", EligibilityAsync).WithName("CommitmentEligibility")
            .WithSummary("Whether the enterprise may be granted commitment-based approval (告知承诺).");
        return endpoints;
    }

    private static async Task<Ok<CreditView>> GetAsync(string uscc, ClaimsPrincipal user, EnterprisesDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var enterprise = await EnterprisesApi.LoadReadableAsync(db, new Caller(user), uscc, cancellationToken);
        var records = await db.CreditRecords.AsNoTracking().Where(r => r.Uscc == enterprise.Uscc).ToListAsync(cancellationToken);
        var score = CreditPolicy.Score(records, ChinaTime.Today(clock));
        return TypedResults.Ok(new CreditView(enterprise.CreditRating, score, CreditPolicy.AllowsCommitmentApproval(enterprise.CreditRating),
            [.. records.OrderByDescending(r => r.RecordedAt)]));
    }

    private static async Task<Results<Created<CreditView>, ForbidHttpResult>> AddRecordAsync(
        string uscc, AddCreditRecordRequest request, ClaimsPrincipal user, EnterprisesDbContext db, CreditLedger ledger,
        CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        if (!caller.CanRecordCredit)
        {
            return TypedResults.Forbid();
        }
        var check = new EnterpriseValidation();
        if (request.Kind is null)
        {
            check.Add("kind", $"须填写信用记录类型，可选 {string.Join("、", Enum.GetNames<CreditRecordKind>())}。");
        }
        var reason = check.Text("reason", request.Reason, 500);
        check.Text("reference", request.Reference, 100, required: false);
        check.ThrowIfInvalid();

        var enterprise = await EnterprisesApi.LoadReadableAsync(db, caller, uscc, cancellationToken, tracked: true);
        var (_, view) = await ledger.RecordAsync(enterprise, request.Kind!.Value, reason!, request.Reference?.Trim(), caller.Id, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/enterprises/{enterprise.Uscc}/credit", view);
    }

    private static async Task<Ok<CommitmentEligibility>> EligibilityAsync(
        string uscc, ClaimsPrincipal user, EnterprisesDbContext db, CancellationToken cancellationToken)
    {
        var enterprise = await EnterprisesApi.LoadReadableAsync(db, new Caller(user), uscc, cancellationToken);
        if (enterprise.Stage is LifecycleStage.Deregistering or LifecycleStage.Deregistered)
        {
            return TypedResults.Ok(new CommitmentEligibility(enterprise.Uscc, false, enterprise.CreditRating,
                "企业正在注销或已注销，不能适用告知承诺制。"));
        }
        var eligible = CreditPolicy.AllowsCommitmentApproval(enterprise.CreditRating);
        return TypedResults.Ok(new CommitmentEligibility(enterprise.Uscc, eligible, enterprise.CreditRating, eligible
            ? $"信用等级为 {enterprise.CreditRating}，可以适用告知承诺制。"
            : $"信用等级为 {enterprise.CreditRating}，不能适用告知承诺制，请提交全部材料按一般程序申请。"));
    }
}
