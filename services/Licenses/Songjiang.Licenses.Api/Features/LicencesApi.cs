using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.OpenApi;
using Songjiang.Licenses.Api.Documents;
using Songjiang.Licenses.Api.Domain;
using Songjiang.Licenses.Api.Infrastructure;
using Songjiang.Licenses.Api.Issuance;
using Songjiang.Licenses.Api.Printing;
using Songjiang.Licenses.Api.Status;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.OpenApi;
using Songjiang.ServiceDefaults.Problems;
using System.Security.Claims;

namespace Songjiang.Licenses.Api.Features;

/// <summary>The dependencies of the licence endpoints.</summary>
public sealed record LicenceServices(
    LicensesDbContext Db, LicenceIssuer Issuer, LicenceStatusService StatusService, PartnerStatusLists PartnerStatus, PublicUrls Urls,
    ClaimsPrincipal User, CancellationToken CancellationToken)
{
    /// <summary>The caller.</summary>
    public Caller Caller => new(User);
}

/// <summary>Query of the licence list.</summary>
public sealed record LicenceQuery(string? Holder, string? Type, string? Status, int? Page, int? PageSize);

/// <summary>Issue, list, read, print, revoke, suspend and reinstate licences.</summary>
public static class LicencesApi
{
    /// <summary>Maps the endpoints under <c>api/licenses</c>.</summary>
    public static RouteGroupBuilder MapLicencesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/licenses").WithTags("Licences").RequireAuthorization(PlatformPolicies.Authenticated);

        api.MapGet("/", ListAsync).WithName("list-licences")
            .WithSummary("Licences the caller may see: an enterprise its own, a caseworker its authority's, an admin all.");
        api.MapGet("/{number}", GetAsync).WithName("get-licence")
            .WithSummary("A licence with its sealed document, by its number or its national identifier (GB/T 36904).");
        api.MapGet("/{number}/document", DocumentAsync).WithName("get-licence-document")
            .WithSummary("The sealed document, for offline verification.")
            .ProducesBody("The sealed document: the licence exactly as signed, and its SM2 seal.", ["application/json"], SealedDocumentSchema.Create);
        api.MapGet("/{number}/print", PrintAsync).WithName("print-licence")
            .WithSummary("A printable HTML page with the verification URL and its QR code.")
            .ProducesText("text/html", "The printable licence.",
                "A complete HTML document (UTF-8): the licence's fields, its validity, the issuing authority, and the verification URL with its QR code as an inline SVG.");
        api.MapPost("/", IssueAsync).WithName("issue-licence")
            .WithSummary("Issues and seals a licence (approver of the issuing authority); idempotent per applicationId.")
            .RequireAuthorization(PlatformPolicies.Caseworker);
        api.MapPartnerLicencesApi();
        api.MapPost("/{number}/revoke", (string number, [FromBody] StatusChangeRequest request, [AsParameters] LicenceServices services) =>
                ChangeStatusAsync(number, StatusAction.Revoke, request, services))
            .WithName("revoke-licence").WithSummary("Revokes a licence, with the reason.").RequireAuthorization(PlatformPolicies.Caseworker);
        api.MapPost("/{number}/suspend", (string number, [FromBody] StatusChangeRequest request, [AsParameters] LicenceServices services) =>
                ChangeStatusAsync(number, StatusAction.Suspend, request, services))
            .WithName("suspend-licence").WithSummary("Suspends a licence, with the reason.").RequireAuthorization(PlatformPolicies.Caseworker);
        api.MapPost("/{number}/reinstate", (string number, [FromBody] StatusChangeRequest request, [AsParameters] LicenceServices services) =>
                ChangeStatusAsync(number, StatusAction.Reinstate, request, services))
            .WithName("reinstate-licence").WithSummary("Lifts a suspension, with the reason.").RequireAuthorization(PlatformPolicies.Caseworker);
        return api;
    }

    private static async Task<Ok<LicencePage>> ListAsync([AsParameters] LicenceQuery query, [AsParameters] LicenceServices services)
    {
        var caller = services.Caller;
        var pageSize = query.PageSize ?? 20;
        var page = query.Page ?? 1;
        if (pageSize is < 1 or > 100)
        {
            throw new ValidationFailedException("pageSize", "每页条数须在 1 到 100 之间。");
        }
        if (page < 1)
        {
            throw new ValidationFailedException("page", "页码从 1 开始。");
        }
        IQueryable<Licence> licences = services.Db.Licences.AsNoTracking();
        // Licences other G60 cities issued to our enterprises belong to their holders' lists (and to the services').
        IQueryable<PartnerLicence>? partnerLicences = null;
        if (caller.IsEnterprise && !caller.IsAdmin)
        {
            if (query.Holder is not null && !caller.ActsFor(query.Holder))
            {
                throw new ForbiddenException("企业只能查看本企业（或其登记设立的企业）的证照。");
            }
            // Its own, and those of companies its user registered (企业开办).
            List<string> holders = query.Holder is not null ? [query.Holder.ToUpperInvariant()] : caller.Usccs.Select(u => u.ToUpperInvariant()).ToList();
            licences = licences.Where(l => holders.Contains(l.HolderUscc));
            partnerLicences = services.Db.PartnerLicences.AsNoTracking().Where(l => holders.Contains(l.HolderUscc));
        }
        else if (caller.IsCaseworker)
        {
            var authorities = services.Db.Authorities.Where(a => a.Department == caller.Department).Select(a => a.Code);
            licences = licences.Where(l => authorities.Contains(l.AuthorityCode));
        }
        else if (!caller.IsAdmin && !caller.IsService)
        {
            throw new ForbiddenException("证照列表只向持证企业、工作人员、平台服务和管理员开放。");
        }
        else if (query.Holder is not null)
        {
            partnerLicences = services.Db.PartnerLicences.AsNoTracking();
        }
        if (query.Holder is not null)
        {
            var holder = query.Holder.Trim().ToUpperInvariant();
            licences = licences.Where(l => l.HolderUscc == holder);
            partnerLicences = partnerLicences?.Where(l => l.HolderUscc == holder);
        }
        if (query.Type is not null)
        {
            licences = licences.Where(l => l.TypeCode == query.Type);
            partnerLicences = partnerLicences?.Where(l => l.TypeCode == query.Type);
        }
        if (query.Status is not null)
        {
            var status = Enum.TryParse<LicenceStatus>(query.Status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                ? parsed
                : throw new ValidationFailedException("status", "证照状态须为 active、suspended 或 revoked。");
            licences = licences.Where(l => l.Status == status);
        }
        var total = await licences.CountAsync(services.CancellationToken);
        // A partner city's licence has the status its issuer's lists give it now (ADR 0056).
        var partners = new List<LicenceSummary>();
        foreach (var partner in partnerLicences is null ? [] : await partnerLicences.ToListAsync(services.CancellationToken))
        {
            var summary = LicenceSummary.Of(partner, await services.PartnerStatus.CheckDocumentAsync(partner.Document, partner.CityCode, services.CancellationToken));
            if (query.Status is null || string.Equals(summary.Status, query.Status, StringComparison.OrdinalIgnoreCase))
            {
                partners.Add(summary);
            }
        }
        if (partners.Count == 0)
        {
            var items = await licences.OrderByDescending(l => l.IssueDate).ThenBy(l => l.Number)
                .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(services.CancellationToken);
            return TypedResults.Ok(new LicencePage([.. items.Select(l => LicenceSummary.Of(l, services.Urls))], page, pageSize, total));
        }
        // A holder's partner licences are few: merged with the first pages of its own in the list's order.
        var own = await licences.OrderByDescending(l => l.IssueDate).ThenBy(l => l.Number)
            .Take(page * pageSize).ToListAsync(services.CancellationToken);
        var merged = own.Select(l => LicenceSummary.Of(l, services.Urls)).Concat(partners)
            .OrderByDescending(l => l.IssueDate).ThenBy(l => l.Number, StringComparer.Ordinal)
            .Skip((page - 1) * pageSize).Take(pageSize).ToList();
        return TypedResults.Ok(new LicencePage(merged, page, pageSize, total + partners.Count));
    }

    private static async Task<Ok<LicenceDetail>> GetAsync(string number, [AsParameters] LicenceServices services) =>
        TypedResults.Ok(LicenceDetail.Of(await VisibleAsync(number, services), services.Urls));

    private static async Task<ContentHttpResult> DocumentAsync(string number, [AsParameters] LicenceServices services)
    {
        var licence = await VisibleAsync(number, services);
        return TypedResults.Content(SealedDocument.Write(licence.Payload, licence.KeyId, licence.Signature), "application/json");
    }

    private static async Task<ContentHttpResult> PrintAsync(string number, [AsParameters] LicenceServices services)
    {
        var licence = await VisibleAsync(number, services);
        var type = await services.Db.LicenceTypes.AsNoTracking().FirstAsync(t => t.Code == licence.TypeCode, services.CancellationToken);
        var authority = await services.Db.Authorities.AsNoTracking().FirstAsync(a => a.Code == licence.AuthorityCode, services.CancellationToken);
        var html = LicenceHtmlView.Render(licence, type, authority, services.Urls.Verification(licence.Number));
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    private static async Task<Results<Created<LicenceDetail>, Ok<LicenceDetail>>> IssueAsync(
        [FromBody] IssueLicenceRequest request, [AsParameters] LicenceServices services)
    {
        var caller = services.Caller;
        if (!caller.IsApproverOf(caller.Department!))
        {
            throw new ForbiddenException("证照由发证机关的审批人员签发。");
        }
        var result = await services.Issuer.IssueAsync(new IssueLicenceCommand(
            request.TypeCode, request.Holder?.Name, request.Holder?.Uscc, request.Fields, request.ValidFrom, request.ValidUntil,
            request.ApplicationId, caller.Id, caller.Department), services.CancellationToken);
        var detail = LicenceDetail.Of(result.Licence, services.Urls);
        return result.Created
            ? TypedResults.Created($"/api/licenses/{Uri.EscapeDataString(result.Licence.Number)}", detail)
            : TypedResults.Ok(detail);
    }

    private static async Task<Ok<LicenceSummary>> ChangeStatusAsync(
        string number, StatusAction action, StatusChangeRequest request, LicenceServices services)
    {
        var licence = await services.StatusService.ChangeAsync(number, action, request.Reason, services.Caller, services.CancellationToken);
        return TypedResults.Ok(LicenceSummary.Of(licence, services.Urls));
    }

    // Holders see their own licences only; to anyone else another holder's licence does not exist (404).
    private static async Task<Licence> VisibleAsync(string number, LicenceServices services)
    {
        var caller = services.Caller;
        // By the readable number or by the national identifier (GB/T 36904).
        var licence = await services.Db.Licences.AsNoTracking()
            .FirstOrDefaultAsync(l => l.Number == number || l.NationalIdentifier == number, services.CancellationToken);
        var visible = licence is not null && (caller.IsAdmin || caller.IsCaseworker || caller.IsService
            || caller.ActsFor(licence.HolderUscc));
        return visible ? licence! : throw new NotFoundException($"没有您可以查看的编号为“{number}”的证照。");
    }
}
