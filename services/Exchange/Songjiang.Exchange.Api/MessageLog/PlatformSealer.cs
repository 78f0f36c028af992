using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Org.BouncyCastle.Crypto.Parameters;
using Songjiang.Exchange.Api.Domain;
using Songjiang.Exchange.Api.Extensions;
using Songjiang.Exchange.Api.Infrastructure;
using Songjiang.Persistence.Secrets;

namespace Songjiang.Exchange.Api.MessageLog;

/// <summary>
/// The platform's own SM2 key: from <c>Exchange:PlatformKeyPem</c> when set, otherwise created once in the exchange's
/// database (the first replica to store it wins; the others read it), so every replica seals with the same key. The
/// stored private key is wrapped with the key-encryption key; one stored in clear before is rewrapped when read.
/// </summary>
public sealed class PlatformSealer(IServiceScopeFactory scopes, IOptions<ExchangeOptions> options, KeyEncryption encryption, TimeProvider clock)
{
    private const string Purpose = "Songjiang.Exchange.PlatformKey";

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
            byte[] pkcs8;
            if (options.Value.PlatformKeyPem is { Length: > 0 } pem)
            {
                pkcs8 = Sm2.PrivateKeyFromPem(pem);
            }
            else
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ExchangeDbContext>();
                var stored = await db.PlatformKeys.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
                if (stored is null)
                {
                    var fresh = Sm2.GeneratePrivateKey();
                    db.PlatformKeys.Add(new PlatformKey
                    {
                        KeyId = Sm2.KeyIdOf(Sm2.PublicKeyOf(Sm2.ImportPrivateKey(fresh))),
                        PrivateKey = encryption.Wrap(fresh, Purpose),
                        CreatedAt = clock.GetUtcNow(),
                    });
                    try
                    {
                        await db.SaveChangesAsync(cancellationToken);
                    }
                    catch (DbUpdateException)
                    {
                        // Another replica stored its key first: use that one.
                    }
                    db.ChangeTracker.Clear();
                    stored = await db.PlatformKeys.AsNoTracking().FirstAsync(cancellationToken);
                }
                if (!KeyEncryption.IsWrapped(stored.PrivateKey))
                {
                    await db.PlatformKeys.Where(k => k.Id == stored.Id)
                        .ExecuteUpdateAsync(k => k.SetProperty(p => p.PrivateKey, encryption.Wrap(stored.PrivateKey, Purpose)), cancellationToken);
                    pkcs8 = stored.PrivateKey;
                }
                else
                {
                    pkcs8 = encryption.Unwrap(stored.PrivateKey, Purpose);
                }
            }
            var key = Sm2.ImportPrivateKey(pkcs8);
            var publicKey = Sm2.PublicKeyOf(key);
            _loaded = (key, publicKey, Sm2.KeyIdOf(publicKey));
            return _loaded.Value;
        }
        finally
        {
            _gate.Release();
        }
    }
}
