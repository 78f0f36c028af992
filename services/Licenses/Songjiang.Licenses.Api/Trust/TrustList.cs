using Microsoft.EntityFrameworkCore;
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

/// <summary>A change of a trusted key's validity period.</summary>
public sealed record TrustPeriodRequest(DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil);

/// <summary>The G60 trust list (互信互认): partner cities' issuer keys this platform accepts, each for a period.</summary>
public sealed class TrustList(LicensesDbContext db, SealKeyStore ownKeys, TimeProvider clock)
{
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
            errors["issuerCode"] = ["The partner authority's code is required (at most 64 characters)."];
        }
        if (string.IsNullOrWhiteSpace(request.IssuerName) || request.IssuerName.Trim().Length > 200)
        {
            errors["issuerName"] = ["The partner authority's name is required (at most 200 characters)."];
        }
        var city = G60Cities.Find(request.CityCode?.Trim());
        if (city is null || city == G60Cities.Songjiang)
        {
            errors["cityCode"] = ["Must be the division code of a G60 partner city (e.g. 330400 for 嘉兴)."];
        }
        byte[]? publicKey = null;
        try
        {
            publicKey = Sm2.PublicKeyFromPem(request.PublicKeyPem ?? "");
            Sm2.ImportPublicKey(publicKey);
        }
        catch (FormatException exception)
        {
            errors["publicKeyPem"] = [exception.Message];
        }
        CheckPeriod(request.ValidFrom, request.ValidUntil, errors);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var keyId = string.IsNullOrWhiteSpace(request.KeyId) ? Sm2.KeyIdOf(publicKey!) : request.KeyId.Trim();
        if (keyId.Length > 100)
        {
            throw new ValidationFailedException("keyId", "At most 100 characters.");
        }
        if (await db.TrustedKeys.AnyAsync(k => k.KeyId == keyId, cancellationToken) || await ownKeys.FindAsync(keyId, cancellationToken) is not null)
        {
            throw new ConflictException($"Key id {keyId} is already known.");
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

    /// <summary>Changes the period a key is trusted for (ending it withdraws trust from then on).</summary>
    public async Task<TrustedKey> ChangePeriodAsync(string keyId, TrustPeriodRequest request, string administrator, CancellationToken cancellationToken)
    {
        var entry = await db.TrustedKeys.FirstOrDefaultAsync(k => k.KeyId == keyId, cancellationToken)
            ?? throw new NotFoundException($"Key {keyId} is not on the trust list.");
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
            throw new NotFoundException($"Key {keyId} is not on the trust list.");
        }
    }

    private static void CheckPeriod(DateTimeOffset? from, DateTimeOffset? until, Dictionary<string, string[]> errors)
    {
        if (from is { } start && until is { } end && end <= start)
        {
            errors["validUntil"] = ["The end of trust must be after its start."];
        }
    }
}
