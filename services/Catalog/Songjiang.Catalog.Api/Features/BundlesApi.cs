using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Songjiang.Catalog.Api.Infrastructure;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Problems;
using System.Security.Claims;
using System.Text.Json;

namespace Songjiang.Catalog.Api.Features;

/// <summary>一件事 bundles: everyone reads; administrators publish new versions.</summary>
public static class BundlesApi
{
    /// <summary>Maps <c>/api/catalog/bundles</c>.</summary>
    public static IEndpointRouteBuilder MapBundlesApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/catalog/bundles").WithTags("一件事 bundles");
        api.MapGet("/", ListAsync).WithName("ListBundles").AllowAnonymous().WithSummary("Current bundles with their matters.");
        api.MapGet("/{code}", GetAsync).WithName("GetBundle").AllowAnonymous().WithSummary("A bundle with the current versions of its matters.");
        api.MapPost("/{code}/form-check", CheckFormAsync).WithName("CheckBundleForm").AllowAnonymous()
            .WithSummary("Checks the bundle's one form and names every failing field.");
        api.MapPut("/{code}", PublishAsync).WithName("PublishBundle").RequireAuthorization(PlatformPolicies.Admin)
            .WithSummary("Publishes a new version of a bundle.");
        return endpoints;
    }

    private static async Task<Ok<List<BundleView>>> ListAsync(CatalogDbContext db, CancellationToken cancellationToken)
    {
        var bundles = await db.Bundles.AsNoTracking().Where(b => b.IsCurrent).OrderBy(b => b.Code).ToListAsync(cancellationToken);
        // One query for the matters of every bundle, not one per bundle.
        var codes = bundles.SelectMany(b => b.MatterCodes).Distinct().ToList();
        var matters = await CurrentMattersAsync(db, codes, cancellationToken);
        return TypedResults.Ok(bundles.Select(bundle => View(bundle, matters)).ToList());
    }

    private static async Task<Ok<BundleView>> GetAsync(string code, CatalogDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ViewAsync(db, await CurrentAsync(db, code, cancellationToken), cancellationToken));

    private static async Task<Results<Ok<FormCheck>, BadRequest<FormCheck>>> CheckFormAsync(
        string code, JsonElement form, CatalogDbContext db, CancellationToken cancellationToken)
    {
        var check = FormSchemas.Check((await CurrentAsync(db, code, cancellationToken)).FormSchema, form);
        return check.Valid ? TypedResults.Ok(check) : TypedResults.BadRequest(check);
    }

    private static async Task<Results<Created<BundleView>, Ok<BundleView>>> PublishAsync(
        string code, BundleDefinition definition, ClaimsPrincipal user, CatalogDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!string.Equals(definition.Code, code, StringComparison.Ordinal))
        {
            throw new ValidationFailedException("code", $"请求体中的编码“{definition.Code}”与地址中的编码“{code}”不一致。");
        }
        var matterCodes = await db.Matters.Where(m => m.IsCurrent).Select(m => m.Code).ToHashSetAsync(cancellationToken);
        var current = await db.Bundles.Where(b => b.Code == code && b.IsCurrent).SingleOrDefaultAsync(cancellationToken);
        var next = CatalogValidation.ToBundle(definition, matterCodes, (current?.Version ?? 0) + 1,
            user.FindFirstValue(PlatformClaims.Subject) ?? "unknown", clock.GetUtcNow());
        if (current is not null)
        {
            current.IsCurrent = false;
        }
        db.Bundles.Add(next);
        await db.SaveChangesAsync(cancellationToken);
        var view = await ViewAsync(db, next, cancellationToken);
        return current is null ? TypedResults.Created($"/api/catalog/bundles/{code}", view) : TypedResults.Ok(view);
    }

    private static async Task<Domain.Bundle> CurrentAsync(CatalogDbContext db, string code, CancellationToken cancellationToken)
    {
        var normalized = code.ToUpperInvariant();
        return await db.Bundles.AsNoTracking().SingleOrDefaultAsync(b => b.Code == normalized && b.IsCurrent, cancellationToken)
            ?? throw new NotFoundException($"目录中没有编码为 {code} 的一件事。");
    }

    private static async Task<BundleView> ViewAsync(CatalogDbContext db, Domain.Bundle bundle, CancellationToken cancellationToken) =>
        View(bundle, await CurrentMattersAsync(db, bundle.MatterCodes, cancellationToken));

    private static async Task<Dictionary<string, MatterSummary>> CurrentMattersAsync(
        CatalogDbContext db, IReadOnlyCollection<string> codes, CancellationToken cancellationToken) =>
        (await db.Matters.AsNoTracking().Where(m => m.IsCurrent && codes.Contains(m.Code))
            .Select(m => new { m.Code, m.Version, m.Name, m.Department, m.PromisedLimitDays, m.HandlingModes, m.VisitsRequired, m.CrossProvince, m.ApprovingCity })
            .ToListAsync(cancellationToken))
            .ToDictionary(m => m.Code, m => new MatterSummary(m.Code, m.Version, m.Name, m.Department, m.PromisedLimitDays, m.HandlingModes,
                m.VisitsRequired, m.CrossProvince, m.ApprovingCity, MatterView.CityName(m.ApprovingCity)));

    private static BundleView View(Domain.Bundle bundle, IReadOnlyDictionary<string, MatterSummary> matters)
    {
        var ordered = bundle.MatterCodes.Select(code => matters[code]).ToList();
        return new BundleView(bundle.Code, bundle.Version, bundle.Name, bundle.Description, bundle.PromisedLimitDays,
            JsonDocument.Parse(bundle.FormSchema).RootElement, ordered, [.. ordered.Select(m => m.Department).Distinct()]);
    }
}
