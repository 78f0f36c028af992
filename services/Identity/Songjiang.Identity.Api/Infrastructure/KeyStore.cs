using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using Songjiang.ServiceDefaults.Storage;

namespace Songjiang.Identity.Api.Infrastructure;

/// <summary>
/// The token service's keys, kept as files so that a restart, or another replica sharing the folder, signs with the
/// same key and tokens already issued stay valid. Created on first use.
/// </summary>
public sealed class KeyStore(string directory)
{
    private const string SigningKeyFile = "signing-key.pem";
    private const string EncryptionKeyFile = "encryption-key.bin";

    /// <summary>The RSA key that signs tokens (published in the JWKS).</summary>
    public RsaSecurityKey LoadOrCreateSigningKey()
    {
        var pem = ReadOrCreate(SigningKeyFile, () =>
        {
            using var generated = RSA.Create(2048);
            return generated.ExportPkcs8PrivateKeyPem();
        });
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return new RsaSecurityKey(rsa) { KeyId = KeyIdOf(rsa) };
    }

    /// <summary>The symmetric key that protects authorization codes and refresh tokens (never leaves the service).</summary>
    public SymmetricSecurityKey LoadOrCreateEncryptionKey() =>
        new(Convert.FromBase64String(ReadOrCreate(EncryptionKeyFile, () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)))));

    // RFC 7638 style: the key id is derived from the public key, so every replica names the same key alike.
    private static string KeyIdOf(RSA rsa)
    {
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        var hash = SHA256.HashData([.. parameters.Modulus!, .. parameters.Exponent!]);
        return Base64UrlEncoder.Encode(hash.AsSpan(0, 16).ToArray());
    }

    private string ReadOrCreate(string fileName, Func<string> create)
    {
        var path = Path.Combine(directory, fileName);
        if (!File.Exists(path))
        {
            WriteSecret(path, create());
        }
        // Always read back: when two replicas start together, the file that won the race is the key.
        return File.ReadAllText(path);
    }

    private void WriteSecret(string path, string content)
    {
        PrivateFiles.CreateDirectory(directory);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        PrivateFiles.WriteNew(temporary, content);
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
        }
    }
}
