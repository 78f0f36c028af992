using Songjiang.ServiceDefaults.Time;
using Microsoft.EntityFrameworkCore;
using Songjiang.Licenses.Api.Canonical;
using Songjiang.Licenses.Api.Documents;
using Songjiang.Licenses.Api.Domain;
using Songjiang.Licenses.Api.Infrastructure;
using Songjiang.Licenses.Api.Issuance;
using Songjiang.Licenses.Api.Sealing;
using Songjiang.Licenses.Api.Trust;
using Songjiang.ServiceDefaults.Problems;
using System.Globalization;
using System.Text.Json;

namespace Songjiang.Licenses.Api.Verification;

/// <summary>
/// Verifies a sealed licence: find the key (ours or a trusted partner's), check that it belongs to the issuer the
/// licence names, check the SM2 seal over the canonical form, then the status and the validity dates.
/// </summary>
public sealed class LicenceVerifier(LicensesDbContext db, SealKeyStore keys, TrustList trustList, Sm2KeyCache keyCache, TimeProvider clock)
{
    /// <summary>Verifies a submitted document (offline verification).</summary>
    public Task<VerificationResult> VerifyAsync(JsonElement document, CancellationToken cancellationToken) =>
        VerifyAsync(document, identifier: null, cancellationToken);

    private async Task<VerificationResult> VerifyAsync(JsonElement document, string? identifier, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var parsed = ParsedDocument.Parse(document, errors);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
        var claims = Claims.Of(parsed.Licence);
        var now = clock.GetUtcNow();
        var reasons = new List<string>();
        VerificationResult Conclude(string outcome, string? source, string? reason = null)
        {
            if (reason is not null)
            {
                reasons.Add(reason);
            }
            return new(outcome, reasons, claims.Number, claims.TypeCode, claims.HolderName, claims.HolderUscc,
                claims.IssuerCode, claims.IssuerName, parsed.KeyId, source, claims.ValidUntil, now, identifier ?? claims.Identifier);
        }

        if (claims.Identifier is { } claimed && !NationalLicenceIdentifier.IsValid(claimed, out var identifierError))
        {
            return Conclude(VerificationOutcomes.Invalid, null, $"电子证照标识 {claimed} 无效：{identifierError}");
        }
        if (parsed.Algorithm != Sm2.Algorithm || parsed.SignerId != Sm2.DefaultSignerId)
        {
            return Conclude(VerificationOutcomes.Invalid, null,
                $"The seal uses {parsed.Algorithm} with signer id {parsed.SignerId}; licences are sealed with {Sm2.Algorithm} and signer id {Sm2.DefaultSignerId}.");
        }

        var key = await keys.FindAsync(parsed.KeyId, cancellationToken);
        var source = key is null ? null : "local";
        if (key is null)
        {
            var trusted = await trustList.FindAsync(parsed.KeyId, cancellationToken);
            if (trusted is null)
            {
                return Conclude(VerificationOutcomes.UnknownIssuer, null,
                    $"Key {parsed.KeyId} belongs to no issuer of this platform nor to any issuer on the G60 trust list.");
            }
            source = "trust-list";
            if (trusted.ValidFrom > now || trusted.ValidUntil is { } end && end < now)
            {
                return Conclude(VerificationOutcomes.UnknownIssuer, source,
                    $"Key {parsed.KeyId} of {trusted.IssuerName} ({trusted.CityCode}) is trusted from {trusted.ValidFrom:yyyy-MM-dd}"
                    + (trusted.ValidUntil is { } until ? $" to {until:yyyy-MM-dd}" : "") + ", not now.");
            }
            key = new VerificationKey(trusted.KeyId, trusted.IssuerCode, trusted.PublicKey, trusted.ValidFrom, RetiredAt: null, Local: false);
        }

        if (!string.Equals(key.IssuerCode, claims.IssuerCode, StringComparison.Ordinal))
        {
            return Conclude(VerificationOutcomes.Invalid, source,
                $"The licence names issuer {claims.IssuerCode ?? "(none)"}, but key {key.KeyId} belongs to issuer {key.IssuerCode}.");
        }

        byte[] canonical;
        try
        {
            canonical = JsonCanonicalizer.Canonicalize(parsed.Licence);
        }
        catch (JsonCanonicalizationException exception)
        {
            return Conclude(VerificationOutcomes.Invalid, source, $"The licence has no canonical form: {exception.Message}");
        }
        if (!Sm2.Verify(keyCache.PublicKey(key.PublicKey), canonical, parsed.Signature))
        {
            return Conclude(VerificationOutcomes.Invalid, source,
                $"The SM2 seal does not match the licence's content under key {key.KeyId}: the licence or its seal was altered.");
        }
        reasons.Add($"The SM2-with-SM3 seal is intact, made with key {key.KeyId} of issuer {key.IssuerCode}"
            + (key.Local ? (key.Active ? "." : " (a retired key, valid for licences sealed before its rotation).") : " (G60 trust list)."));

        if (key.Local)
        {
            var status = await db.Licences.AsNoTracking()
                .Where(l => l.Number == claims.Number)
                .Select(l => new { l.Status, l.StatusReason, l.StatusChangedAt })
                .FirstOrDefaultAsync(cancellationToken);
            if (status is null)
            {
                return Conclude(VerificationOutcomes.Invalid, source, $"The issuer has no record of licence {claims.Number}.");
            }
            if (status.Status == LicenceStatus.Revoked)
            {
                return Conclude(VerificationOutcomes.Revoked, source,
                    $"已于 {ChinaDay(status.StatusChangedAt)} 吊销：{status.StatusReason}");
            }
            if (status.Status == LicenceStatus.Suspended)
            {
                return Conclude(VerificationOutcomes.Suspended, source,
                    $"已于 {ChinaDay(status.StatusChangedAt)} 暂停：{status.StatusReason}");
            }
            reasons.Add("Neither revoked nor suspended.");
        }
        else
        {
            reasons.Add("Revocation and suspension are published by the partner issuer's own status lists.");
        }

        var today = ChinaTime.Today(clock);
        if (claims.ValidFromDate is { } from && from > today)
        {
            return Conclude(VerificationOutcomes.Invalid, source, $"Not valid before {claims.ValidFrom}.");
        }
        if (claims.ValidUntilDate is { } last && last < today)
        {
            return Conclude(VerificationOutcomes.Expired, source, $"Expired: the last day of validity was {claims.ValidUntil}.");
        }
        reasons.Add(claims.ValidUntil is null ? "Valid without time limit (长期)." : $"Valid until {claims.ValidUntil}.");
        return Conclude(VerificationOutcomes.Valid, source);
    }

    /// <summary>
    /// Verifies a licence of ours by its number or its national identifier (GB/T 36904; online verification): its
    /// stored document is checked afresh. An identifier whose check character is wrong is bad input.
    /// </summary>
    public async Task<VerificationResult> VerifyNumberAsync(string number, CancellationToken cancellationToken)
    {
        var byIdentifier = NationalLicenceIdentifier.LooksLikeOne(number);
        if (byIdentifier && !NationalLicenceIdentifier.IsValid(number, out var error))
        {
            throw new ValidationFailedException("identifier", error);
        }
        var licence = await db.Licences.AsNoTracking()
            .Where(l => byIdentifier ? l.NationalIdentifier == number : l.Number == number)
            .Select(l => new { l.Payload, l.KeyId, l.Signature, l.NationalIdentifier })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException(byIdentifier ? $"本平台未签发电子证照标识为 {number} 的电子证照。" : $"本平台未签发编号为 {number} 的电子证照。");
        using var document = JsonDocument.Parse(SealedDocument.Write(licence.Payload, licence.KeyId, licence.Signature));
        return await VerifyAsync(document.RootElement, licence.NationalIdentifier, cancellationToken);
    }

    private sealed record Claims(
        string? Number, string? TypeCode, string? HolderName, string? HolderUscc, string? IssuerCode, string? IssuerName,
        string? ValidFrom, string? ValidUntil, string? Identifier)
    {
        public DateOnly? ValidFromDate => Date(ValidFrom);

        public DateOnly? ValidUntilDate => Date(ValidUntil);

        public static Claims Of(JsonElement licence) => new(
            Text(licence, "licenceNumber"), Text(licence, "type", "code"), Text(licence, "holder", "name"),
            Text(licence, "holder", "identifier"), Text(licence, "issuer", "code"), Text(licence, "issuer", "name"),
            Text(licence, "validFrom"), Text(licence, "validUntil"), Text(licence, "nationalIdentifier"));

        private static string? Text(JsonElement element, params string[] path)
        {
            foreach (var name in path)
            {
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
                {
                    return null;
                }
            }
            return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        }

        private static DateOnly? Date(string? text) =>
            DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
    }

    // The China calendar day of a status change: a revocation at 01:00 China time is on that day, not the UTC one before.
    private static string ChinaDay(DateTimeOffset? at) =>
        at is { } instant ? ChinaTime.DateOf(instant).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : "";
}
