using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Songjiang.Cryptography;
using Songjiang.Licenses.Api.Infrastructure;
using Songjiang.Licenses.Api.Sealing;
using Songjiang.Licenses.Api.Trust;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Problems;
using System.Security.Claims;

namespace Songjiang.Licenses.Api.Features;

/// <summary>Administrators manage the G60 trust list and rotate our authorities' sealing keys.</summary>
public static class AdministrationApi
{
    /// <summary>Maps the endpoints.</summary>
    public static RouteGroupBuilder MapLicenceAdministrationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/licenses").WithTags("Licence administration").RequireAuthorization(PlatformPolicies.Admin);

        api.MapPost("/trust-list", AddTrustedKeyAsync).WithName("add-trusted-key")
            .WithSummary("Trusts a G60 partner issuer's SM2 public key for a period.");
        api.MapPut("/trust-list/{kid}", ChangeTrustPeriodAsync).WithName("change-trusted-key-period")
            .WithSummary("Changes the period a partner key is trusted for.");
        api.MapDelete("/trust-list/{kid}", RemoveTrustedKeyAsync).WithName("remove-trusted-key")
            .WithSummary("Removes a partner key from the trust list.");
        // The exchange's service account (which has checked the partner platform's seal) or an administrator.
        app.MapPut("api/licenses/trust-list/cities/{city}", ImportCityAsync).WithName("import-partner-issuers").WithTags("Licence administration")
            .RequireAuthorization(policy => policy.RequireRole(PlatformRoles.Service, PlatformRoles.Admin))
            .WithSummary("Adds the issuer keys a G60 partner platform published in its sealed issuers document; known keys are kept.")
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(403);
        api.MapPost("/authorities/{code}/keys/rotate", RotateAsync).WithName("rotate-sealing-key")
            .WithSummary("Retires an authority's sealing key and creates a new one; the old one keeps verifying.");
        return api;
    }

    private static async Task<Created<TrustListEntry>> AddTrustedKeyAsync(
        TrustedKeyRequest request, TrustList trustList, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var entry = await trustList.AddAsync(request, new Caller(user).Id, cancellationToken);
        return TypedResults.Created($"/api/licenses/public/trust-list#{entry.KeyId}", TrustListEntry.Of(entry, clock.GetUtcNow()));
    }

    private static async Task<Ok<PartnerIssuersImported>> ImportCityAsync(
        string city, PartnerIssuersImport request, TrustList trustList, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var added = await trustList.ImportCityAsync(city, request.Issuers ?? [], new Caller(user).Id, cancellationToken);
        return TypedResults.Ok(new PartnerIssuersImported(city, added));
    }

    private static async Task<Ok<TrustListEntry>> ChangeTrustPeriodAsync(
        string kid, TrustPeriodRequest request, TrustList trustList, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var entry = await trustList.ChangePeriodAsync(kid, request, new Caller(user).Id, cancellationToken);
        return TypedResults.Ok(TrustListEntry.Of(entry, clock.GetUtcNow()));
    }

    private static async Task<NoContent> RemoveTrustedKeyAsync(string kid, TrustList trustList, CancellationToken cancellationToken)
    {
        await trustList.RemoveAsync(kid, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IssuerKey>> RotateAsync(string code, SealKeyStore keys, LicensesDbContext db, CancellationToken cancellationToken)
    {
        var authority = await db.Authorities.AsNoTracking().FirstOrDefaultAsync(a => a.Code == code, cancellationToken)
            ?? throw new NotFoundException($"没有代码为“{code}”的发证机关。");
        var key = await keys.RotateAsync(code, cancellationToken);
        return TypedResults.Ok(new IssuerKey(key.KeyId, key.IssuerCode, authority.Name, authority.DivisionCode, Sm2.Algorithm, "sm2p256v1",
            Sm2.DefaultSignerId, "active", key.CreatedAt, null, Sm2.PublicKeyPem(key.PublicKey)));
    }
}
