using Org.BouncyCastle.Crypto.Parameters;
using Songjiang.Cryptography;

namespace Songjiang.Exchange.Api.MessageLog;

/// <summary>
/// Seals with the platform's own SM2 key, loaded once from its <see cref="IPlatformKeySource"/>.
/// </summary>
public sealed class PlatformSealer(IPlatformKeySource source)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (ECPrivateKeyParameters Key, byte[] PublicKey, string KeyId)? _loaded;

    /// <summary>The key id.</summary>
    public async Task<string> KeyIdAsync(CancellationToken cancellationToken) => (await LoadAsync(cancellationToken)).KeyId;

    /// <summary>The public key (SubjectPublicKeyInfo DER).</summary>
    public async Task<byte[]> PublicKeyAsync(CancellationToken cancellationToken) => (await LoadAsync(cancellationToken)).PublicKey;

    /// <summary>Signs; returns the key id and the Base64 DER signature.</summary>
    public async Task<(string KeyId, string Signature)> SignAsync(byte[] message, CancellationToken cancellationToken)
    {
        var (key, _, keyId) = await LoadAsync(cancellationToken);
        return (keyId, Convert.ToBase64String(Sm2.Sign(key, message)));
    }

    /// <summary>Checks a signature made with the platform key.</summary>
    public async Task<bool> VerifyAsync(byte[] message, string signature, CancellationToken cancellationToken)
    {
        var (_, publicKey, _) = await LoadAsync(cancellationToken);
        byte[] der;
        try
        {
            der = Convert.FromBase64String(signature);
        }
        catch (FormatException)
        {
            return false;
        }
        return Sm2.Verify(Sm2.ImportPublicKey(publicKey), message, der);
    }

    private async Task<(ECPrivateKeyParameters Key, byte[] PublicKey, string KeyId)> LoadAsync(CancellationToken cancellationToken)
    {
        if (_loaded is { } loaded)
        {
            return loaded;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_loaded is { } again)
            {
                return again;
            }
            var pkcs8 = await source.LoadAsync(cancellationToken);
            var key = Sm2.ImportPrivateKey(pkcs8);
            var publicKey = Sm2.PublicKeyInfoOf(key);
            _loaded = (key, publicKey, Sm2.KeyIdOf(publicKey));
            return _loaded.Value;
        }
        finally
        {
            _gate.Release();
        }
    }
}
