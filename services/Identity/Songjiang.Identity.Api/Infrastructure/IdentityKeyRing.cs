using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using Songjiang.Persistence.Secrets;

namespace Songjiang.Identity.Api.Infrastructure;

/// <summary>A key of the token service, wrapped with the key-encryption key (table <c>identity_keys</c>).</summary>
public sealed class IdentityKey
{
    /// <summary>What the key is for: <see cref="IdentityKeyRing.SigningKeyName"/> or <see cref="IdentityKeyRing.EncryptionKeyName"/>.</summary>
    public required string Name { get; init; }

    /// <summary>The key material, AES-GCM wrapped (never in clear).</summary>
    public required byte[] Material { get; init; }

    /// <summary>When it was made.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// The token service's signing and encryption keys, kept in its database so that every replica signs with the same
/// key and a restart keeps tokens already issued valid. Made by the first replica that needs them (the others read
/// what it stored); keys from the former key folder (<c>Identity:KeysDirectory</c>) are taken over once.
/// </summary>
public sealed class IdentityKeyRing(IServiceScopeFactory scopes, KeyEncryption encryption, IOptions<Extensions.IdentityServerOptions> options, TimeProvider clock)
{
    /// <summary>The RSA key that signs tokens (PKCS#8).</summary>
    public const string SigningKeyName = "token-signing";

    /// <summary>The AES key that protects authorization codes and refresh tokens.</summary>
    public const string EncryptionKeyName = "token-encryption";

    /// <summary>The RSA key that signs tokens (published in the JWKS).</summary>
    public RsaSecurityKey SigningKey()
    {
        var pkcs8 = GetOrCreate(SigningKeyName, () => Legacy("signing-key.pem") is { } pem ? PemPkcs8(pem) : NewRsa());
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(pkcs8, out _);
        return new RsaSecurityKey(rsa) { KeyId = KeyIdOf(rsa) };
    }

    /// <summary>The symmetric key that protects authorization codes and refresh tokens (never leaves the service).</summary>
    public SymmetricSecurityKey EncryptionKey() =>
        new(GetOrCreate(EncryptionKeyName, () => Legacy("encryption-key.bin") is { } text ? Convert.FromBase64String(text) : RandomNumberGenerator.GetBytes(32)));

    private byte[] GetOrCreate(string name, Func<byte[]> create)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
        var stored = db.Keys.AsNoTracking().FirstOrDefault(k => k.Name == name);
        if (stored is null)
        {
            db.Keys.Add(new IdentityKey { Name = name, Material = encryption.Wrap(create(), Purpose(name)), CreatedAt = clock.GetUtcNow() });
            try
            {
                db.SaveChanges();
            }
            catch (DbUpdateException)
            {
                // Another replica stored its key first: use that one.
            }
            db.ChangeTracker.Clear();
            stored = db.Keys.AsNoTracking().First(k => k.Name == name);
        }
        return encryption.Unwrap(stored.Material, Purpose(name));
    }

    private static string Purpose(string name) => "Songjiang.Identity.Keys/" + name;

    private string? Legacy(string fileName)
    {
        var path = options.Value.KeysDirectory is { Length: > 0 } folder ? Path.Combine(folder, fileName) : null;
        return path is not null && File.Exists(path) ? File.ReadAllText(path) : null;
    }

    private static byte[] PemPkcs8(string pem)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return rsa.ExportPkcs8PrivateKey();
    }

    private static byte[] NewRsa()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKey();
    }

    // RFC 7638 style: the key id is derived from the public key, so every replica names the same key alike.
    private static string KeyIdOf(RSA rsa)
    {
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        var hash = SHA256.HashData([.. parameters.Modulus!, .. parameters.Exponent!]);
        return Base64UrlEncoder.Encode(hash.AsSpan(0, 16).ToArray());
    }
}

/// <summary>Gives OpenIddict the keys from the database when its options are first built (after the schema is migrated).</summary>
internal sealed class ConfigureIdentityKeys(IdentityKeyRing keys) : IConfigureOptions<OpenIddictServerOptions>
{
    public void Configure(OpenIddictServerOptions options)
    {
        var signing = keys.SigningKey();
        options.SigningCredentials.Add(new SigningCredentials(signing, SecurityAlgorithms.RsaSha256));
        options.EncryptionCredentials.Add(new EncryptingCredentials(keys.EncryptionKey(),
            SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512));
    }
}
