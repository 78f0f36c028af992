using Songjiang.Cryptography;
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
using Songjiang.SharedKernel;
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
    public async Task<VerificationResult> VerifyAsync(JsonElement document, CancellationToken cancellationToken)
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
                claims.IssuerCode, claims.IssuerName, parsed.KeyId, source, claims.ValidUntil, now);
        }

        if (parsed.Algorithm != Sm2.Algorithm || parsed.SignerId != Sm2.DefaultSignerId)
        {
            return Conclude(VerificationOutcomes.Invalid, null,
                $"签章算法为 {parsed.Algorithm}、签名者标识为 {parsed.SignerId}；电子证照须以 {Sm2.Algorithm}、签名者标识 {Sm2.DefaultSignerId} 盖章。");
        }

        var key = await keys.FindAsync(parsed.KeyId, cancellationToken);
        var source = key is null ? null : "local";
        if (key is null)
        {
            var trusted = await trustList.FindAsync(parsed.KeyId, cancellationToken);
            if (trusted is null)
            {
                return Conclude(VerificationOutcomes.UnknownIssuer, null,
                    $"密钥 {parsed.KeyId} 既不属于本平台的签发机构，也不在 G60 信任列表中。");
            }
            source = "trust-list";
            if (trusted.ValidFrom > now || trusted.ValidUntil is { } end && end < now)
            {
                return Conclude(VerificationOutcomes.UnknownIssuer, source,
                    $"{G60Cities.Find(trusted.CityCode)?.Name ?? trusted.CityCode}{trusted.IssuerName}的密钥 {parsed.KeyId} 的信任期自 {ChinaDay(trusted.ValidFrom)}"
                    + (trusted.ValidUntil is { } until ? $" 至 {ChinaDay(until)}" : " 起") + "，当前不在信任期内。");
            }
            key = new VerificationKey(trusted.KeyId, trusted.IssuerCode, trusted.PublicKey, trusted.ValidFrom, RetiredAt: null, Local: false);
        }

        if (!string.Equals(key.IssuerCode, claims.IssuerCode, StringComparison.Ordinal))
        {
            return Conclude(VerificationOutcomes.Invalid, source,
                $"证照载明的签发机构为 {claims.IssuerCode ?? "（无）"}，但密钥 {key.KeyId} 属于签发机构 {key.IssuerCode}。");
        }

        byte[] canonical;
        try
        {
            canonical = JsonCanonicalizer.Canonicalize(parsed.Licence);
        }
        catch (JsonCanonicalizationException exception)
        {
            return Conclude(VerificationOutcomes.Invalid, source, $"证照内容无法规范化：{exception.Message}");
        }
        if (!Sm2.Verify(keyCache.PublicKey(key.PublicKey), canonical, parsed.Signature))
        {
            return Conclude(VerificationOutcomes.Invalid, source,
                $"SM2 签章与证照内容不符（密钥 {key.KeyId}）：证照或签章已被改动。");
        }
        reasons.Add($"SM2/SM3 电子签章完好，由签发机构 {key.IssuerCode} 的密钥 {key.KeyId} 加盖"
            + (key.Local ? (key.Active ? "。" : "（已轮换的旧密钥，对轮换前加盖的证照仍有效）。") : "（G60 信任列表）。"));

        if (key.Local)
        {
            var status = await db.Licences.AsNoTracking()
                .Where(l => l.Number == claims.Number)
                .Select(l => new { l.Status, l.StatusReason, l.StatusChangedAt })
                .FirstOrDefaultAsync(cancellationToken);
            if (status is null)
            {
                return Conclude(VerificationOutcomes.Invalid, source, $"签发机构没有证照 {claims.Number} 的记录。");
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
            reasons.Add("吊销和暂停情况以合作城市签发机构自己公布的状态列表为准。");
        }

        var today = ChinaTime.Today(clock);
        if (claims.ValidFromDate is { } from && from > today)
        {
            return Conclude(VerificationOutcomes.Invalid, source, $"{claims.ValidFrom} 起方才有效。");
        }
        if (claims.ValidUntilDate is { } last && last < today)
        {
            return Conclude(VerificationOutcomes.Expired, source, $"已过期：有效期至 {claims.ValidUntil}。");
        }
        reasons.Add(claims.ValidUntil is null ? "长期有效。" : $"有效期至 {claims.ValidUntil}。");
        return Conclude(VerificationOutcomes.Valid, source);
    }

    /// <summary>Verifies a licence of ours by number (online verification): its stored document is checked afresh.</summary>
    public async Task<VerificationResult> VerifyNumberAsync(string number, CancellationToken cancellationToken)
    {
        var licence = await db.Licences.AsNoTracking()
            .Where(l => l.Number == number)
            .Select(l => new { l.Payload, l.KeyId, l.Signature })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException($"本平台没有签发编号为 {number} 的电子证照。");
        using var document = JsonDocument.Parse(SealedDocument.Write(licence.Payload, licence.KeyId, licence.Signature));
        return await VerifyAsync(document.RootElement, cancellationToken);
    }

    private sealed record Claims(
        string? Number, string? TypeCode, string? HolderName, string? HolderUscc, string? IssuerCode, string? IssuerName,
        string? ValidFrom, string? ValidUntil)
    {
        public DateOnly? ValidFromDate => Date(ValidFrom);

        public DateOnly? ValidUntilDate => Date(ValidUntil);

        public static Claims Of(JsonElement licence) => new(
            Text(licence, "licenceNumber"), Text(licence, "type", "code"), Text(licence, "holder", "name"),
            Text(licence, "holder", "identifier"), Text(licence, "issuer", "code"), Text(licence, "issuer", "name"),
            Text(licence, "validFrom"), Text(licence, "validUntil"));

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
