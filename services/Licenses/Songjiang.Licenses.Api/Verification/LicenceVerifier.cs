using Songjiang.Cryptography;
using Songjiang.ServiceDefaults.Time;
using Microsoft.EntityFrameworkCore;
using Songjiang.Licenses.Api.Canonical;
using Songjiang.Licenses.Api.Documents;
using Songjiang.Licenses.Api.Domain;
using Songjiang.Licenses.Api.Infrastructure;
using Songjiang.Licenses.Api.Issuance;
using Songjiang.Licenses.Api.Sealing;
using Songjiang.Licenses.Api.Status;
using Songjiang.Licenses.Api.Trust;
using Songjiang.ServiceDefaults.Problems;
using System.Globalization;
using System.Text.Json;

namespace Songjiang.Licenses.Api.Verification;

/// <summary>
/// Verifies a sealed licence: find the key (ours or a trusted partner's), check that it belongs to the issuer the
/// licence names, check the SM2 seal over the canonical form, then the status and the validity dates.
/// </summary>
public sealed class LicenceVerifier(
    LicensesDbContext db, SealKeyStore keys, TrustList trustList, Sm2KeyCache keyCache, PartnerStatusLists partnerStatus, TimeProvider clock)
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
                $"签章算法为 {parsed.Algorithm}（签名者标识 {parsed.SignerId}），而证照应使用 {Sm2.Algorithm}（签名者标识 {Sm2.DefaultSignerId}）签章。");
        }

        var key = await keys.FindAsync(parsed.KeyId, cancellationToken);
        var source = key is null ? null : "local";
        var partnerCity = "";
        if (key is null)
        {
            var trusted = await trustList.FindAsync(parsed.KeyId, cancellationToken);
            if (trusted is null)
            {
                return Conclude(VerificationOutcomes.UnknownIssuer, null,
                    $"签章密钥 {parsed.KeyId} 既不属于本平台的发证机关，也不在G60互认信任清单中。");
            }
            source = "trust-list";
            if (trusted.ValidFrom > now || trusted.ValidUntil is { } end && end < now)
            {
                return Conclude(VerificationOutcomes.UnknownIssuer, source,
                    $"{trusted.IssuerName}（{trusted.CityCode}）的签章密钥 {parsed.KeyId} 自 {trusted.ValidFrom:yyyy-MM-dd}"
                    + (trusted.ValidUntil is { } until ? $" 至 {until:yyyy-MM-dd}" : " 起") + " 受信任，当前不在信任期内。");
            }
            key = new VerificationKey(trusted.KeyId, trusted.IssuerCode, trusted.PublicKey, trusted.ValidFrom, RetiredAt: null, Local: false);
            partnerCity = trusted.CityCode;
        }

        if (!string.Equals(key.IssuerCode, claims.IssuerCode, StringComparison.Ordinal))
        {
            return Conclude(VerificationOutcomes.Invalid, source,
                $"证照载明的发证机关为 {claims.IssuerCode ?? "（未载明）"}，但签章密钥 {key.KeyId} 属于发证机关 {key.IssuerCode}。");
        }

        byte[] canonical;
        try
        {
            canonical = JsonCanonicalizer.Canonicalize(parsed.Licence);
        }
        catch (JsonCanonicalizationException exception)
        {
            return Conclude(VerificationOutcomes.Invalid, source, $"证照内容无法规范化，无法核验：{exception.Message}");
        }
        if (!Sm2.Verify(keyCache.PublicKey(key.PublicKey), canonical, parsed.Signature))
        {
            return Conclude(VerificationOutcomes.Invalid, source,
                $"SM2 签章与证照内容不符（密钥 {key.KeyId}）：证照内容或签章已被篡改。");
        }
        reasons.Add($"SM2/SM3 签章完好，由发证机关 {key.IssuerCode} 的密钥 {key.KeyId} 签发"
            + (key.Local ? (key.Active ? "。" : "（该密钥已轮换停用，对轮换前签发的证照仍然有效）。") : "（G60互认信任清单）。"));

        if (key.Local)
        {
            var status = await db.Licences.AsNoTracking()
                .Where(l => l.Number == claims.Number)
                .Select(l => new { l.Status, l.StatusReason, l.StatusChangedAt })
                .FirstOrDefaultAsync(cancellationToken);
            if (status is null)
            {
                return Conclude(VerificationOutcomes.Invalid, source, $"发证机关没有编号为 {claims.Number} 的证照记录。");
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
            reasons.Add("未被吊销或暂停。");
        }
        else
        {
            var partner = await partnerStatus.CheckAsync(parsed.Licence, partnerCity, cancellationToken);
            if (partner.Status is VerificationOutcomes.Revoked or VerificationOutcomes.Suspended)
            {
                return Conclude(partner.Status, source, partner.Reason);
            }
            reasons.Add(partner.Reason);
        }

        var today = ChinaTime.Today(clock);
        if (claims.ValidFromDate is { } from && from > today)
        {
            return Conclude(VerificationOutcomes.Invalid, source, $"证照自 {claims.ValidFrom:yyyy-MM-dd} 起生效，尚未生效。");
        }
        if (claims.ValidUntilDate is { } last && last < today)
        {
            return Conclude(VerificationOutcomes.Expired, source, $"证照已过期：有效期至 {claims.ValidUntil:yyyy-MM-dd}。");
        }
        reasons.Add(claims.ValidUntil is null ? "长期有效。" : $"有效期至 {claims.ValidUntil:yyyy-MM-dd}。");
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
            ?? throw new NotFoundException(byIdentifier ? $"本平台没有签发电子证照标识为“{number}”的证照。" : $"本平台没有签发编号为“{number}”的证照。");
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
