using Microsoft.Extensions.Options;
using Org.BouncyCastle.Crypto.Parameters;
using Songjiang.Cryptography;
using Songjiang.Licenses.Api.Extensions;

namespace Songjiang.Licenses.Api.Sealing;

/// <summary>
/// Production keys: <c>{KeysDirectory}/{authority code}/*.pem</c>, PKCS#8 private keys for keys that seal and
/// public keys for retired ones, mounted as a secret shared by every replica. Read once at start.
/// </summary>
public sealed class PemKeyDirectory
{
    private readonly Dictionary<string, SigningKey> _active = new(StringComparer.Ordinal);
    private readonly Dictionary<string, VerificationKey> _all = new(StringComparer.Ordinal);

    /// <summary>Loads the folder when the key mode is <see cref="SealKeyMode.PemFiles"/>.</summary>
    public PemKeyDirectory(IOptions<LicensesOptions> options)
    {
        var settings = options.Value;
        if (settings.KeyMode != SealKeyMode.PemFiles)
        {
            return;
        }
        var root = settings.KeysDirectory
            ?? throw new InvalidOperationException("Licenses:KeysDirectory is required when Licenses:KeyMode is PemFiles.");
        foreach (var folder in Directory.Exists(root) ? Directory.GetDirectories(root) : [])
        {
            LoadAuthority(Path.GetFileName(folder), folder, settings);
        }
    }

    /// <summary>All keys, for the key document.</summary>
    public IReadOnlyList<VerificationKey> All => [.. _all.Values.OrderBy(k => k.IssuerCode, StringComparer.Ordinal)];

    /// <summary>The authority's sealing key, if one is configured.</summary>
    public SigningKey? ActiveKey(string authorityCode) => _active.GetValueOrDefault(authorityCode);

    /// <summary>A key by id.</summary>
    public VerificationKey? Find(string keyId) => _all.GetValueOrDefault(keyId);

    private void LoadAuthority(string authorityCode, string folder, LicensesOptions settings)
    {
        var privateKeys = new List<(string KeyId, ECPrivateKeyParameters Key)>();
        foreach (var file in Directory.GetFiles(folder, "*.pem").Order(StringComparer.Ordinal))
        {
            var pem = File.ReadAllText(file);
            byte[] publicKey;
            try
            {
                if (pem.Contains("PRIVATE KEY", StringComparison.Ordinal))
                {
                    var privateKey = Sm2.ImportPrivateKey(Sm2.PrivateKeyFromPem(pem));
                    publicKey = Sm2.ExportPublicKey(Sm2.PublicKeyOf(privateKey));
                    privateKeys.Add((Sm2.KeyIdOf(publicKey), privateKey));
                }
                else
                {
                    publicKey = Sm2.PublicKeyFromPem(pem);
                    Sm2.ImportPublicKey(publicKey);
                }
            }
            catch (FormatException exception)
            {
                throw new InvalidOperationException($"Sealing key file {Path.GetFileName(file)} of {authorityCode}: {exception.Message}", exception);
            }
            var keyId = Sm2.KeyIdOf(publicKey);
            _all[keyId] = new VerificationKey(keyId, authorityCode, publicKey, null, null, Local: true);
        }

        var activeId = settings.ActiveKeys.GetValueOrDefault(authorityCode);
        var active = activeId is null
            ? privateKeys.Count == 1 ? privateKeys[0] : default
            : privateKeys.FirstOrDefault(k => k.KeyId == activeId);
        if (activeId is not null && active.Key is null)
        {
            throw new InvalidOperationException($"Licenses:ActiveKeys:{authorityCode} names {activeId}, which has no private key file.");
        }
        if (active.Key is not null)
        {
            _active[authorityCode] = new SigningKey(active.KeyId, authorityCode, active.Key);
        }
        // Every key that does not seal is retired: it verifies earlier licences only.
        foreach (var key in _all.Values.Where(k => k.IssuerCode == authorityCode && k.KeyId != active.KeyId).ToList())
        {
            _all[key.KeyId] = key with { Active = false };
        }
    }
}
