using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Songjiang.Cryptography;
using Songjiang.Exchange.Api.Domain;
using Songjiang.Exchange.Api.Extensions;
using Songjiang.Exchange.Api.Infrastructure;
using Songjiang.Persistence.Secrets;

namespace Songjiang.Exchange.Api.MessageLog;

/// <summary>
/// Where the platform's SM2 private key comes from. The one seam for key storage: a key vault or encryption at rest
/// replaces the implementation, and nothing that seals changes.
/// </summary>
public interface IPlatformKeySource
{
    /// <summary>The private key as PKCS#8 DER, created on first use if the store creates keys.</summary>
    Task<byte[]> LoadAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The key from <c>Exchange:PlatformKeyPem</c> when set, otherwise created once in the exchange's database (the first
/// replica to store it wins; the others read it), so every replica seals with the same key. The stored private key is
/// wrapped with the key-encryption key; one stored in clear before is rewrapped when read.
/// </summary>
public sealed class ConfiguredOrStoredPlatformKey(
    IServiceScopeFactory scopes, IOptions<ExchangeOptions> options, KeyEncryption encryption, TimeProvider clock) : IPlatformKeySource
{
    private const string Purpose = "Songjiang.Exchange.PlatformKey";

    /// <inheritdoc />
    public async Task<byte[]> LoadAsync(CancellationToken cancellationToken)
    {
        if (options.Value.PlatformKeyPem is { Length: > 0 } pem)
        {
            try
            {
                return Sm2.PrivateKeyFromPem(pem);
            }
            catch (FormatException exception)
            {
                throw new InvalidOperationException("Exchange:PlatformKeyPem must be a PEM PKCS#8 SM2 private key (-----BEGIN PRIVATE KEY-----).", exception);
            }
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ExchangeDbContext>();
        var stored = await db.PlatformKeys.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        if (stored is not null)
        {
            return await UnwrapAsync(db, stored, cancellationToken);
        }
        var fresh = Sm2.GeneratePrivateKey();
        db.PlatformKeys.Add(new PlatformKey
        {
            KeyId = Sm2.KeyIdOf(Sm2.PublicKeyInfoOf(Sm2.ImportPrivateKey(fresh))),
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
        return await UnwrapAsync(db, await db.PlatformKeys.AsNoTracking().FirstAsync(cancellationToken), cancellationToken);
    }

    private async Task<byte[]> UnwrapAsync(ExchangeDbContext db, PlatformKey stored, CancellationToken cancellationToken)
    {
        if (KeyEncryption.IsWrapped(stored.PrivateKey))
        {
            return encryption.Unwrap(stored.PrivateKey, Purpose);
        }
        await db.PlatformKeys.Where(k => k.Id == stored.Id)
            .ExecuteUpdateAsync(k => k.SetProperty(p => p.PrivateKey, encryption.Wrap(stored.PrivateKey, Purpose)), cancellationToken);
        return stored.PrivateKey;
    }
}
