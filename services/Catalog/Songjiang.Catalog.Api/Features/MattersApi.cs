using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Songjiang.Catalog.Api.Domain;
using Songjiang.Catalog.Api.Infrastructure;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Paging;
using Songjiang.ServiceDefaults.Problems;

namespace Songjiang.Catalog.Api.Features;

/// <summary>Matters (事项): everyone reads and searches; administrators publish new versions.</summary>
public static class MattersApi
{
    /// <summary>Maps <c>/api/catalog/matters</c>.</summary>
    public static IEndpointRouteBuilder MapMattersApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/catalog/matters").WithTags("Matters");
        api.MapGet("/", ListAsync).WithName("ListMatters").AllowAnonymous()
            .WithSummary("Searches current matters by keyword, department, handling mode and cross-province city, with paging.");
        api.MapGet("/{code}", GetAsync).WithName("GetMatter").AllowAnonymous().WithSummary("The version in force of a matter.");
        api.MapGet("/{code}/versions", VersionsAsync).WithName("MatterVersions").AllowAnonymous().WithSummary("Every version, newest first.");
        api.MapGet("/{code}/versions/{version:int}", VersionAsync).WithName("GetMatterVersion").AllowAnonymous().WithSummary("One version.");
        api.MapPost("/{code}/form-check", CheckFormAsync).WithName("CheckMatterForm").AllowAnonymous()
            .WithSummary("Checks an application form against the matter's schema and names every failing field.");
        api.MapPut("/{code}", PublishAsync).WithName("PublishMatter").RequireAuthorization(PlatformPolicies.Admin)
            .WithSummary("Publishes a new version of a matter (or its first); earlier versions stay readable.");
        return endpoints;
    }

    private static async Task<Ok<ResultPage<MatterSummary>>> ListAsync([AsParameters] MatterQuery query, CatalogDbContext db, CancellationToken cancellationToken)
    {
        var (page, pageSize) = PageRequest.Clamped(query.Page, query.PageSize);
        var matters = db.Matters.AsNoTracking().Where(m => m.IsCurrent);
        if (!string.IsNullOrWhiteSpace(query.Department))
        {
            matters = matters.Where(m => m.Department == query.Department);
        }
        if (query.Mode is { } mode)
        {
            matters = matters.Where(m => m.HandlingModes.Contains(mode));
        }
        if (!string.IsNullOrWhiteSpace(query.City))
        {
            matters = matters.Where(m => m.CrossProvince && (m.PartnerCities.Count == 0 || m.PartnerCities.Contains(query.City)));
        }
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var keyword = query.Q.Trim();
            matters = matters.Where(m => m.Name.Contains(keyword) || m.Code == keyword.ToUpperInvariant());
        }
        var total = await matters.CountAsync(cancellationToken);
        var items = await matters.OrderBy(m => m.Code).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(m => new { m.Code, m.Version, m.Name, m.Department, m.PromisedLimitDays, m.HandlingModes, m.VisitsRequired, m.CrossProvince, m.ApprovingCity })
            .ToListAsync(cancellationToken);
        var lines = items.Select(m => new MatterSummary(m.Code, m.Version, m.Name, m.Department, m.PromisedLimitDays, m.HandlingModes,
            m.VisitsRequired, m.CrossProvince, m.ApprovingCity, MatterView.CityName(m.ApprovingCity))).ToList();
        return TypedResults.Ok(new ResultPage<MatterSummary>(lines, page, pageSize, total));
    }

    private static async Task<Ok<MatterView>> GetAsync(string code, CatalogDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(MatterView.Of(await CurrentAsync(db, code, cancellationToken)));

    private static async Task<Ok<List<MatterView>>> VersionsAsync(string code, CatalogDbContext db, CancellationToken cancellationToken)
    {
        var versions = await db.Matters.AsNoTracking().Where(m => m.Code == code.ToUpperInvariant())
            .OrderByDescending(m => m.Version).ToListAsync(cancellationToken);
        return versions.Count == 0
            ? throw new NotFoundException($"目录中没有事项 {code}。")
            : TypedResults.Ok(versions.Select(MatterView.Of).ToList());
    }

    private static async Task<Ok<MatterView>> VersionAsync(string code, int version, CatalogDbContext db, CancellationToken cancellationToken)
    {
        var matter = await db.Matters.AsNoTracking().SingleOrDefaultAsync(m => m.Code == code.ToUpperInvariant() && m.Version == version, cancellationToken);
        return TypedResults.Ok(MatterView.Of(matter ?? throw new NotFoundException($"事项 {code} 没有第 {version} 版。")));
    }

    private static async Task<Results<Ok<FormCheck>, BadRequest<FormCheck>>> CheckFormAsync(
        string code, JsonElement form, CatalogDbContext db, CancellationToken cancellationToken)
    {
        var matter = await CurrentAsync(db, code, cancellationToken);
        var check = FormSchemas.Check(matter.FormSchema, form);
        return check.Valid ? TypedResults.Ok(check) : TypedResults.BadRequest(check);
    }

    private static async Task<Results<Created<MatterView>, Ok<MatterView>>> PublishAsync(
        string code, MatterDefinition definition, ClaimsPrincipal user, CatalogDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!string.Equals(definition.Code, code, StringComparison.Ordinal))
        {
            throw new ValidationFailedException("code", $"请求体中的编码“{definition.Code}”与地址中的编码“{code}”不一致。");
        }
        var current = await db.Matters.Where(m => m.Code == code && m.IsCurrent).SingleOrDefaultAsync(cancellationToken);
        var editor = user.FindFirstValue(PlatformClaims.Subject) ?? "unknown";
        var next = CatalogValidation.ToMatter(definition, (current?.Version ?? 0) + 1, editor, clock.GetUtcNow(), definition.ChangeNote);
        if (current is not null)
        {
            current.IsCurrent = false;
        }
        db.Matters.Add(next);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two administrators publishing at once: the unique (code, version) index lets one win.
            if (await db.Matters.AsNoTracking().AnyAsync(m => m.Code == code && m.Version == next.Version, CancellationToken.None))
            {
                throw new ConflictException($"事项“{next.Name}”（{code}）的第 {next.Version} 版刚由他人发布，请刷新后重试。");
            }
            throw;
        }
        var view = MatterView.Of(next);
        return current is null ? TypedResults.Created($"/api/catalog/matters/{code}", view) : TypedResults.Ok(view);
    }

    internal static async Task<Matter> CurrentAsync(CatalogDbContext db, string code, CancellationToken cancellationToken)
    {
        var normalized = code.ToUpperInvariant();
        return await db.Matters.AsNoTracking().SingleOrDefaultAsync(m => m.Code == normalized && m.IsCurrent, cancellationToken)
            ?? throw new NotFoundException($"目录中没有事项 {code}。");
    }

    /// <summary>Search and paging.</summary>
    public sealed record MatterQuery(string? Q, string? Department, HandlingMode? Mode, string? City, int? Page, int? PageSize);
}
