using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Org.BouncyCastle.Crypto.Parameters;
using Songjiang.Cryptography;
using Songjiang.Licenses.Api.Domain;
using Songjiang.Licenses.Api.Extensions;
using Songjiang.Licenses.Api.Infrastructure;
using Songjiang.Persistence.Secrets;
using Songjiang.ServiceDefaults.Problems;
using System.Collections.Concurrent;

namespace Songjiang.Licenses.Api.Sealing;

/// <summary>A key that can seal for an authority.</summary>
public sealed record SigningKey(string KeyId, string AuthorityCode, ECPrivateKeyParameters PrivateKey);

/// <summary>A public key that verifies seals, ours or a trusted partner's.</summary>
public sealed record VerificationKey(
    string KeyId, string IssuerCode, byte[] PublicKey, DateTimeOffset? CreatedAt, DateTimeOffset? RetiredAt, bool Local)
{
    /// <summary>Whether the key seals new licences (retired keys only verify).</summary>
    public bool Active { get; init; } = RetiredAt is null;
}

/// <summary>
/// Our authorities' SM2 keys. Embedded mode: rows in the database with the private key wrapped with the
/// key-encryption key (AES-GCM, <see cref="KeyEncryption"/>; rows from before, encrypted with Data Protection, are
/// rewrapped at start);
/// PEM mode: files from <see cref="PemKeyDirectory"/>. A key id always names the same key, so parsed keys are
/// cached by id; which key is active is read fresh, so a rotation on one replica is seen by all.
/// </summary>
public sealed class SealKeyStore(
    LicensesDbContext db,
    IDataProtectionProvider dataProtection,
    KeyEncryption encryption,
    PemKeyDirectory pemKeys,
    Sm2KeyCache cache,
    IOptions<LicensesOptions> options,
    TimeProvider clock)
{
    /// <summary>The Data Protection purpose of sealing keys written before the key-encryption key.</summary>
    public const string ProtectionPurpose = "Songjiang.Licenses.SealKeys.v1";

    /// <summary>How a private key wrapped with the key-encryption key starts in <see cref="SealKey.ProtectedPrivateKey"/>.</summary>
    public const string WrappedPrefix = "kek:";

    // A key's material never changes; only its retirement does, and that only changes the wording of a verification.
    private static readonly TimeSpan LocalKeyFreshness = TimeSpan.FromSeconds(30);

    private IDataProtector Protector => dataProtection.CreateProtector(ProtectionPurpose);

    /// <summary>The key an authority seals with now.</summary>
    public async Task<SigningKey> ActiveKeyAsync(string authorityCode, CancellationToken cancellationToken)
    {
        if (options.Value.KeyMode == SealKeyMode.PemFiles)
        {
            return pemKeys.ActiveKey(authorityCode)
                ?? throw new ConflictException($"发证机关 {authorityCode} 没有配置签章密钥。");
        }
        var rows = await db.SealKeys.AsNoTracking()
            .Where(k => k.AuthorityCode == authorityCode && k.RetiredAt == null)
            .ToListAsync(cancellationToken);
        var row = rows.OrderByDescending(k => k.CreatedAt).FirstOrDefault()
            ?? throw new ConflictException($"发证机关 {authorityCode} 没有启用中的签章密钥。");
        var privateKey = cache.PrivateKeys.GetOrAdd(row.KeyId,
            _ => Sm2.ImportPrivateKey(Unwrap(row)));
        return new SigningKey(row.KeyId, row.AuthorityCode, privateKey);
    }

    /// <summary>
    /// The key that seals what the platform publishes in its own name (the status lists): the active key of the first
    /// authority, by code, that has one. A partner checks only that it is a key of this city on its trust list.
    /// </summary>
    public async Task<SigningKey> PublishingKeyAsync(CancellationToken cancellationToken)
    {
        IEnumerable<string> authorities = options.Value.KeyMode == SealKeyMode.PemFiles
            ? pemKeys.All.Where(k => pemKeys.ActiveKey(k.IssuerCode) is not null).Select(k => k.IssuerCode)
            : await db.SealKeys.AsNoTracking().Where(k => k.RetiredAt == null).Select(k => k.AuthorityCode).ToListAsync(cancellationToken);
        var first = authorities.Order(StringComparer.Ordinal).FirstOrDefault()
            ?? throw new DependencyUnavailableException("本平台还没有可用的签章密钥，状态清单暂时无法签章发布。");
        return await ActiveKeyAsync(first, cancellationToken);
    }

    /// <summary>Our key with this id, active or retired.</summary>
    public async Task<VerificationKey?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        if (options.Value.KeyMode == SealKeyMode.PemFiles)
        {
            return pemKeys.Find(keyId);
        }
        var now = clock.GetUtcNow();
        if (cache.LocalKeys.TryGetValue(keyId, out var cached) && now - cached.ReadAt < LocalKeyFreshness)
        {
            return cached.Key;
        }
        var row = await db.SealKeys.AsNoTracking().FirstOrDefaultAsync(k => k.KeyId == keyId, cancellationToken);
        if (row is null)
        {
            return null;
        }
        var key = new VerificationKey(row.KeyId, row.AuthorityCode, row.PublicKey, row.CreatedAt, row.RetiredAt, Local: true);
        cache.LocalKeys[keyId] = (key, now);
        return key;
    }

    /// <summary>All our keys, for the published key document.</summary>
    public async Task<IReadOnlyList<VerificationKey>> AllAsync(CancellationToken cancellationToken)
    {
        if (options.Value.KeyMode == SealKeyMode.PemFiles)
        {
            return pemKeys.All;
        }
        var rows = await db.SealKeys.AsNoTracking().ToListAsync(cancellationToken);
        return [.. rows.OrderBy(k => k.AuthorityCode, StringComparer.Ordinal).ThenBy(k => k.CreatedAt)
            .Select(k => new VerificationKey(k.KeyId, k.AuthorityCode, k.PublicKey, k.CreatedAt, k.RetiredAt, Local: true))];
    }

    /// <summary>Creates a key for an authority that has none (first start).</summary>
    public async Task<bool> EnsureKeyAsync(string authorityCode, CancellationToken cancellationToken)
    {
        if (await db.SealKeys.AnyAsync(k => k.AuthorityCode == authorityCode && k.RetiredAt == null, cancellationToken))
        {
            return false;
        }
        db.SealKeys.Add(NewKey(authorityCode));
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Retires the authority's active keys and creates a new one; old keys keep verifying.</summary>
    public async Task<VerificationKey> RotateAsync(string authorityCode, CancellationToken cancellationToken)
    {
        if (options.Value.KeyMode == SealKeyMode.PemFiles)
        {
            throw new ConflictException("签章密钥从 PEM 文件加载：轮换密钥须安装新的密钥文件，并设置 Licenses:ActiveKeys。");
        }
        var now = clock.GetUtcNow();
        foreach (var old in await db.SealKeys.Where(k => k.AuthorityCode == authorityCode && k.RetiredAt == null).ToListAsync(cancellationToken))
        {
            old.RetiredAt = now;
            cache.LocalKeys.TryRemove(old.KeyId, out _);
        }
        var key = NewKey(authorityCode);
        db.SealKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return new VerificationKey(key.KeyId, key.AuthorityCode, key.PublicKey, key.CreatedAt, null, Local: true);
    }

    private SealKey NewKey(string authorityCode)
    {
        var pair = Sm2.GenerateKeyPair();
        var publicKey = Sm2.ExportPublicKey((ECPublicKeyParameters)pair.Public);
        return new SealKey
        {
            KeyId = Sm2.KeyIdOf(publicKey),
            AuthorityCode = authorityCode,
            PublicKey = publicKey,
            ProtectedPrivateKey = Wrap(Sm2.KeyIdOf(publicKey), Sm2.ExportPrivateKey((ECPrivateKeyParameters)pair.Private)),
            CreatedAt = clock.GetUtcNow(),
        };
    }

    /// <summary>Rewraps private keys stored with Data Protection (before the key-encryption key) with it.</summary>
    public async Task<int> RewrapLegacyKeysAsync(CancellationToken cancellationToken)
    {
        var legacy = await db.SealKeys.Where(k => !k.ProtectedPrivateKey.StartsWith(WrappedPrefix)).ToListAsync(cancellationToken);
        foreach (var row in legacy)
        {
            row.ProtectedPrivateKey = Wrap(row.KeyId, Protector.Unprotect(Convert.FromBase64String(row.ProtectedPrivateKey)));
        }
        await db.SaveChangesAsync(cancellationToken);
        return legacy.Count;
    }

    private static string Purpose(string keyId) => "Songjiang.Licenses.SealKeys/" + keyId;

    private string Wrap(string keyId, byte[] pkcs8) => WrappedPrefix + Convert.ToBase64String(encryption.Wrap(pkcs8, Purpose(keyId)));

    private byte[] Unwrap(SealKey row) => row.ProtectedPrivateKey.StartsWith(WrappedPrefix, StringComparison.Ordinal)
        ? encryption.Unwrap(Convert.FromBase64String(row.ProtectedPrivateKey[WrappedPrefix.Length..]), Purpose(row.KeyId))
        : Protector.Unprotect(Convert.FromBase64String(row.ProtectedPrivateKey));
}

/// <summary>Parsed keys by key id (a key id always denotes the same key, so entries never go stale).</summary>
public sealed class Sm2KeyCache
{
    /// <summary>Decrypted private keys of our authorities.</summary>
    public ConcurrentDictionary<string, ECPrivateKeyParameters> PrivateKeys { get; } = new(StringComparer.Ordinal);

    /// <summary>Our keys as last read from the database, with the time they were read.</summary>
    public ConcurrentDictionary<string, (VerificationKey Key, DateTimeOffset ReadAt)> LocalKeys { get; } = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, ECPublicKeyParameters> _publicKeys = new(StringComparer.Ordinal);

    /// <summary>
    /// The parsed public key, keyed by its DER; reusing one instance lets BouncyCastle keep its precomputed
    /// multiples of the point, which makes repeated verification much faster.
    /// </summary>
    public ECPublicKeyParameters PublicKey(byte[] subjectPublicKeyInfo) =>
        _publicKeys.GetOrAdd(Convert.ToBase64String(subjectPublicKeyInfo), _ => Sm2.ImportPublicKey(subjectPublicKeyInfo));
}
