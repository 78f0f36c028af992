using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Songjiang.Cryptography;
using Songjiang.Licenses.Api.Documents;
using Songjiang.Licenses.Api.Extensions;
using Songjiang.Licenses.Api.Infrastructure;
using Songjiang.Licenses.Api.Issuance;
using Songjiang.Licenses.Api.Sealing;
using Songjiang.Licenses.Api.Status;
using Songjiang.Licenses.Api.Trust;
using Songjiang.Licenses.Api.Verification;
using Songjiang.ServiceDefaults.Problems;
using System.Globalization;
using System.Text.Json;

namespace Songjiang.Licenses.Api.Features;

/// <summary>
/// What anyone may call without signing in, because anyone may check a licence: verification, the issuers' public
/// keys, the trust list, the status lists and the licence types. All under <c>api/licenses/public</c>, so the
/// gateway needs one anonymous route for them.
/// </summary>
public static class PublicApi
{
    /// <summary>Maps the endpoints.</summary>
    public static RouteGroupBuilder MapPublicLicencesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/licenses/public").WithTags("Licence verification").AllowAnonymous();

        api.MapGet("/verify/{number}", VerifyNumberAsync).WithName("verify-licence-online")
            .WithSummary("Verifies a licence issued here by its number or its national identifier (GB/T 36904): seal, status and validity.");
        api.MapPost("/verify", VerifyDocumentAsync).WithName("verify-licence-offline")
            .WithSummary("Verifies a submitted sealed document, ours or a G60 partner's.");
        api.MapGet("/issuer-keys", IssuerKeysAsync).WithName("licence-issuer-keys")
            .WithSummary("The well-known document of our issuing authorities' SM2 public keys, current and retired.");
        api.MapGet("/trust-list", TrustListAsync).WithName("licence-trust-list")
            .WithSummary("The G60 partner issuers' keys this platform trusts, with their periods.");
        api.MapGet("/status-lists/{purpose}", StatusListAsync).WithName("licence-status-list")
            .Produces<StatusListDocument>(StatusCodes.Status200OK, "application/json")
            .WithSummary("The revocation or suspension list (W3C Bitstring Status List: GZIP, base64url), sealed by one of our issuers' keys; cacheable.");
        api.MapGet("/types", TypesAsync).WithName("licence-types").WithSummary("Licence types and their fields.");
        return api;
    }

    private static async Task<Ok<VerificationResult>> VerifyNumberAsync(string number, LicenceVerifier verifier, CancellationToken cancellationToken) =>
        TypedResults.Ok(await verifier.VerifyNumberAsync(number, cancellationToken));

    private static async Task<Ok<VerificationResult>> VerifyDocumentAsync(JsonElement document, LicenceVerifier verifier, CancellationToken cancellationToken) =>
        TypedResults.Ok(await verifier.VerifyAsync(document, cancellationToken));

    private static async Task<Ok<IssuerKeysDocument>> IssuerKeysAsync(
        SealKeyStore keys, LicensesDbContext db, PublicUrls urls, HttpContext context, CancellationToken cancellationToken)
    {
        var authorities = await db.Authorities.AsNoTracking().ToDictionaryAsync(a => a.Code, cancellationToken);
        var entries = (await keys.AllAsync(cancellationToken)).Select(k => new IssuerKey(
            k.KeyId, k.IssuerCode, authorities.GetValueOrDefault(k.IssuerCode)?.Name, authorities.GetValueOrDefault(k.IssuerCode)?.DivisionCode,
            Sm2.Algorithm, "sm2p256v1", Sm2.DefaultSignerId, k.Active ? "active" : "retired", k.CreatedAt, k.RetiredAt,
            Sm2.PublicKeyPem(k.PublicKey))).ToList();
        context.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Ok(new IssuerKeysDocument(urls.Base + "/api/licenses/public/issuer-keys", entries));
    }

    private static async Task<Ok<IReadOnlyList<TrustListEntry>>> TrustListAsync(TrustList trustList, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return TypedResults.Ok<IReadOnlyList<TrustListEntry>>([.. (await trustList.AllAsync(cancellationToken)).Select(k => TrustListEntry.Of(k, now))]);
    }

    private static async Task<Results<ContentHttpResult, StatusCodeHttpResult>> StatusListAsync(
        string purpose, LicenceStatusService status, SealKeyStore keys, PublicUrls urls, IOptions<LicensesOptions> options,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, TimeProvider clock, HttpContext context, CancellationToken cancellationToken)
    {
        var list = await status.BuildAsync(purpose, cancellationToken);
        var etag = list.ETag();
        var headers = context.Response.Headers;
        headers.ETag = etag;
        headers.CacheControl = $"public, max-age={(int)options.Value.StatusListMaxAge.TotalSeconds}";
        if (context.Request.Headers[HeaderNames.IfNoneMatch].Any(value => value is not null
            && value.Split(',').Any(tag => string.Equals(tag.Trim(), etag, StringComparison.Ordinal) || tag.Trim() == "*")))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        var url = urls.StatusList(purpose);
        var now = clock.GetUtcNow();
        var document = new StatusListDocument(
            url, "BitstringStatusList", urls.Base, now, now + options.Value.StatusListMaxAge,
            new StatusListSubject(url + "#list", "BitstringStatusList", purpose, list.Size, list.Encode()),
            (long)options.Value.StatusListMaxAge.TotalMilliseconds, Seal: null);
        var sealedList = SealedStatusList.Write(
            JsonSerializer.SerializeToNode(document, json.Value.SerializerOptions)!.AsObject(), await keys.PublishingKeyAsync(cancellationToken));
        return TypedResults.Content(sealedList, "application/json; charset=utf-8");
    }

    private static async Task<Ok<IReadOnlyList<LicenceTypeView>>> TypesAsync(LicensesDbContext db, CancellationToken cancellationToken)
    {
        var authorities = await db.Authorities.AsNoTracking().ToDictionaryAsync(a => a.Code, cancellationToken);
        var types = await db.LicenceTypes.AsNoTracking().ToListAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<LicenceTypeView>>([.. types.OrderBy(t => t.Code, StringComparer.Ordinal).Select(t => new LicenceTypeView(
            t.Code, t.Name, t.EnglishName, t.AuthorityCode, authorities[t.AuthorityCode].Name, t.ValidityYears,
            [.. t.Fields.Select(f => new LicenceFieldView(f.Name, f.Label, f.Kind.ToString().ToLowerInvariant(), f.Required, f.MaxLength, f.Minimum, f.Values))]))]);
    }
}

/// <summary>The issuer keys document.</summary>
public sealed record IssuerKeysDocument(string Id, IReadOnlyList<IssuerKey> Keys);

/// <summary>One of our keys.</summary>
public sealed record IssuerKey(
    string Kid, string IssuerCode, string? IssuerName, string? DivisionCode, string Alg, string Curve, string SignerId,
    string Status, DateTimeOffset? CreatedAt, DateTimeOffset? RetiredAt, string PublicKeyPem);

/// <summary>One trusted partner key.</summary>
public sealed record TrustListEntry(
    string Kid, string IssuerCode, string IssuerName, string CityCode, DateTimeOffset ValidFrom, DateTimeOffset? ValidUntil,
    bool TrustedNow, string PublicKeyPem)
{
    /// <summary>Maps an entry.</summary>
    public static TrustListEntry Of(Domain.TrustedKey key, DateTimeOffset now) => new(
        key.KeyId, key.IssuerCode, key.IssuerName, key.CityCode, key.ValidFrom, key.ValidUntil,
        key.ValidFrom <= now && (key.ValidUntil is null || key.ValidUntil >= now), Sm2.PublicKeyPem(key.PublicKey));
}

/// <summary>
/// A status list in the shape of a W3C BitstringStatusListCredential, with <c>seal</c>: the SM2 seal of one of our
/// issuers' keys over the RFC 8785 form of the other members (<see cref="SealedStatusList"/>).
/// </summary>
public sealed record StatusListDocument(
    string Id, string Type, string Issuer, DateTimeOffset ValidFrom, DateTimeOffset ValidUntil, StatusListSubject CredentialSubject, long Ttl,
    DocumentSeal? Seal);

/// <summary>An SM2 seal: algorithm, key id, signer id and the base64 DER signature.</summary>
public sealed record DocumentSeal(string Alg, string Kid, string SignerId, string Signature);

/// <summary>The list itself.</summary>
public sealed record StatusListSubject(string Id, string Type, string StatusPurpose, int Size, string EncodedList);

/// <summary>A licence type.</summary>
public sealed record LicenceTypeView(
    string Code, string Name, string EnglishName, string AuthorityCode, string AuthorityName, int? ValidityYears, IReadOnlyList<LicenceFieldView> Fields);

/// <summary>A type-specific field.</summary>
public sealed record LicenceFieldView(string Name, string Label, string Kind, bool Required, int? MaxLength, decimal? Minimum, IReadOnlyList<string>? Values);
