using Microsoft.EntityFrameworkCore;
using Songjiang.Cryptography;
using Songjiang.Licenses.Api.Domain;
using Songjiang.Licenses.Api.Infrastructure;
using Songjiang.Licenses.Api.Sealing;
using Songjiang.ServiceDefaults.Problems;
using Songjiang.SharedKernel;

namespace Songjiang.Licenses.Api.Trust;

/// <summary>What an administrator submits to trust a partner issuer's key.</summary>
/// <param name="IssuerCode">The partner authority's code, as its licences name it.</param>
/// <param name="IssuerName">Its name.</param>
/// <param name="CityCode">The G60 city (GB/T 2260 code).</param>
/// <param name="PublicKeyPem">The SM2 public key (PEM SubjectPublicKeyInfo).</param>
/// <param name="KeyId">The key id its seals carry (default: the id computed from the key).</param>
/// <param name="ValidFrom">Start of trust (default: now).</param>
/// <param name="ValidUntil">End of trust (default: open).</param>
public sealed record TrustedKeyRequest(
    string? IssuerCode, string? IssuerName, string? CityCode, string? PublicKeyPem, string? KeyId,
    DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil);

/// <summary>A partner issuer's key from its platform's sealed issuers document.</summary>
public sealed record PartnerIssuerImport(string? KeyId, string? IssuerCode, string? IssuerName, string? PublicKeyPem, DateTimeOffset? ValidFrom);

/// <summary>A partner platform's issuer keys.</summary>
public sealed record PartnerIssuersImport(IReadOnlyList<PartnerIssuerImport>? Issuers);

/// <summary>How many keys were new.</summary>
public sealed record PartnerIssuersImported(string City, int Added);

/// <summary>A change of a trusted key's validity period.</summary>
public sealed record TrustPeriodRequest(DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil);

/// <summary>The G60 trust list (互信互认): partner cities' issuer keys this platform accepts, each for a period.</summary>
public sealed class TrustList(LicensesDbContext db, SealKeyStore ownKeys, TimeProvider clock, IConfiguration configuration)
{
    // The city this platform serves (Platform:CityCode, Songjiang by default): its own issuers are never "partners".
    private readonly string _ownCity = configuration["Platform:CityCode"] is { Length: > 0 } own ? own : G60Cities.Songjiang.Code;

    /// <summary>A trusted key by id.</summary>
    public Task<TrustedKey?> FindAsync(string keyId, CancellationToken cancellationToken) =>
        db.TrustedKeys.AsNoTracking().FirstOrDefaultAsync(k => k.KeyId == keyId, cancellationToken);

    /// <summary>Every entry, current or not.</summary>
    public async Task<IReadOnlyList<TrustedKey>> AllAsync(CancellationToken cancellationToken) =>
        [.. (await db.TrustedKeys.AsNoTracking().ToListAsync(cancellationToken))
            .OrderBy(k => k.CityCode, StringComparer.Ordinal).ThenBy(k => k.IssuerCode, StringComparer.Ordinal)];

    /// <summary>Adds a partner key.</summary>
    public async Task<TrustedKey> AddAsync(TrustedKeyRequest request, string administrator, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.IssuerCode) || request.IssuerCode.Trim().Length > 64)
        {
            errors["issuerCode"] = ["须填写合作城市签发机构的代码（不超过 64 个字符）。"];
        }
        if (string.IsNullOrWhiteSpace(request.IssuerName) || request.IssuerName.Trim().Length > 200)
        {
            errors["issuerName"] = ["须填写合作城市签发机构的名称（不超过 200 个字符）。"];
        }
        var city = G60Cities.Find(request.CityCode?.Trim());
        if (city is null || city.Code == _ownCity)
        {
            errors["cityCode"] = ["须为本市以外的 G60 城市的行政区划代码（例如嘉兴 330400）。"];
        }
        byte[]? publicKey = null;
        try
        {
            publicKey = Sm2.PublicKeyFromPem(request.PublicKeyPem ?? "");
            Sm2.ImportPublicKey(publicKey);
        }
        catch (FormatException)
        {
            errors["publicKeyPem"] = ["须为 PEM 格式的 SM2 公钥（-----BEGIN PUBLIC KEY-----）。"];
        }
        CheckPeriod(request.ValidFrom, request.ValidUntil, errors);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var keyId = string.IsNullOrWhiteSpace(request.KeyId) ? Sm2.KeyIdOf(publicKey!) : request.KeyId.Trim();
        if (keyId.Length > 100)
        {
            throw new ValidationFailedException("keyId", "密钥标识不超过 100 个字符。");
        }
        if (await db.TrustedKeys.AnyAsync(k => k.KeyId == keyId, cancellationToken) || await ownKeys.FindAsync(keyId, cancellationToken) is not null)
        {
            throw new ConflictException($"密钥 {keyId} 已在信任列表或本平台的密钥中。");
        }
        var now = clock.GetUtcNow();
        var entry = new TrustedKey
        {
            KeyId = keyId,
            IssuerCode = request.IssuerCode!.Trim(),
            IssuerName = request.IssuerName!.Trim(),
            CityCode = city!.Code,
            PublicKey = publicKey!,
            ValidFrom = request.ValidFrom ?? now,
            ValidUntil = request.ValidUntil,
            UpdatedBy = administrator,
            UpdatedAt = now,
        };
        db.TrustedKeys.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        return entry;
    }

    /// <summary>
    /// Adds the issuer keys a partner platform published in its sealed issuers document (checked by the exchange): keys
    /// already on the list keep their entry and period, so an administrator's change is never undone. Returns how
    /// many were new.
    /// </summary>
    public async Task<int> ImportCityAsync(string cityCode, IReadOnlyList<PartnerIssuerImport> issuers, string by, CancellationToken cancellationToken)
    {
        var city = G60Cities.Find(cityCode);
        if (city is null || city.Code == _ownCity)
        {
            throw new ValidationFailedException("city", "须为本市以外的 G60 城市的行政区划代码（例如嘉兴 330400）。");
        }
        var errors = new Dictionary<string, string[]>();
        var keys = new List<(PartnerIssuerImport Issuer, byte[] PublicKey)>();
        for (var i = 0; i < issuers.Count; i++)
        {
            var issuer = issuers[i];
            if (string.IsNullOrWhiteSpace(issuer.IssuerCode) || issuer.IssuerCode.Length > 64 || string.IsNullOrWhiteSpace(issuer.IssuerName)
                || issuer.IssuerName.Length > 200 || string.IsNullOrWhiteSpace(issuer.KeyId) || issuer.KeyId.Length > 100)
            {
                errors[$"issuers[{i}]"] = ["须有签发机构代码、名称和密钥标识。"];
                continue;
            }
            try
            {
                var publicKey = Sm2.PublicKeyFromPem(issuer.PublicKeyPem ?? "");
                Sm2.ImportPublicKey(publicKey);
                keys.Add((issuer, publicKey));
            }
            catch (FormatException)
            {
                errors[$"issuers[{i}].publicKeyPem"] = ["不是 SM2 公钥（PEM）。"];
            }
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
        var now = clock.GetUtcNow();
        var added = 0;
        foreach (var (issuer, publicKey) in keys)
        {
            var keyId = issuer.KeyId!.Trim();
            if (await db.TrustedKeys.AnyAsync(k => k.KeyId == keyId, cancellationToken) || await ownKeys.FindAsync(keyId, cancellationToken) is not null)
            {
                continue;
            }
            db.TrustedKeys.Add(new TrustedKey
            {
                KeyId = keyId,
                IssuerCode = issuer.IssuerCode!.Trim(),
                IssuerName = issuer.IssuerName!.Trim(),
                CityCode = city.Code,
                PublicKey = publicKey,
                ValidFrom = issuer.ValidFrom ?? now,
                UpdatedBy = by,
                UpdatedAt = now,
            });
            added++;
        }
        await db.SaveChangesAsync(cancellationToken);
        return added;
    }

    /// <summary>Changes the period a key is trusted for (ending it withdraws trust from then on).</summary>
    public async Task<TrustedKey> ChangePeriodAsync(string keyId, TrustPeriodRequest request, string administrator, CancellationToken cancellationToken)
    {
        var entry = await db.TrustedKeys.FirstOrDefaultAsync(k => k.KeyId == keyId, cancellationToken)
            ?? throw new NotFoundException($"信任列表中没有密钥 {keyId}。");
        var errors = new Dictionary<string, string[]>();
        var from = request.ValidFrom ?? entry.ValidFrom;
        CheckPeriod(from, request.ValidUntil, errors);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
        entry.ValidFrom = from;
        entry.ValidUntil = request.ValidUntil;
        entry.UpdatedBy = administrator;
        entry.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return entry;
    }

    /// <summary>Removes a key from the list altogether.</summary>
    public async Task RemoveAsync(string keyId, CancellationToken cancellationToken)
    {
        var removed = await db.TrustedKeys.Where(k => k.KeyId == keyId).ExecuteDeleteAsync(cancellationToken);
        if (removed == 0)
        {
            throw new NotFoundException($"信任列表中没有密钥 {keyId}。");
        }
    }

    private static void CheckPeriod(DateTimeOffset? from, DateTimeOffset? until, Dictionary<string, string[]> errors)
    {
        if (from is { } start && until is { } end && end <= start)
        {
            errors["validUntil"] = ["信任的截止时间须晚于起始时间。"];
        }
    }
}
