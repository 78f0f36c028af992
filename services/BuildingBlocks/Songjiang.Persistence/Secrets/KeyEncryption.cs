using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Songjiang.Persistence.Secrets;

/// <summary>
/// The key-encryption key (section <c>KeyEncryption</c>) that wraps every private key a service keeps in its database:
/// from <see cref="Key"/> (a secret store or environment variable) or <see cref="KeyFile"/> (a mounted secret).
/// </summary>
public sealed class KeyEncryptionOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "KeyEncryption";

    /// <summary>The key: 32 random bytes in Base64 (<c>openssl rand -base64 32</c>).</summary>
    public string? Key { get; set; }

    /// <summary>A file holding the key in Base64, read when <see cref="Key"/> is not set.</summary>
    public string? KeyFile { get; set; }

    /// <summary>
    /// Create <see cref="KeyFile"/> with a new random key (readable by the owner only) when it does not exist: the
    /// embedded host's own data folder only. Off elsewhere, so that a missing secret stops the service.
    /// </summary>
    public bool CreateKeyFile { get; set; }
}

/// <summary>
/// Wraps secrets with AES-256-GCM under the key-encryption key. A wrapped secret is
/// <c>"SJK1" | key id (4 bytes) | nonce (12) | tag (16) | ciphertext</c>; the purpose (e.g. the row it belongs to) is
/// authenticated as associated data, so a wrapped key cannot be moved to another row unnoticed.
/// </summary>
public sealed class KeyEncryption
{
    private static readonly byte[] Magic = "SJK1"u8.ToArray();
    private const int KeyIdSize = 4, NonceSize = 12, TagSize = 16;
    private readonly byte[] _key;
    private readonly byte[] _keyId;

    /// <summary>Uses the given 32-byte key.</summary>
    public KeyEncryption(byte[] key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException("The key-encryption key must be 32 bytes (256 bits).", nameof(key));
        }
        _key = key;
        _keyId = SHA256.HashData(key)[..KeyIdSize];
    }

    /// <summary>Reads the key as configured (see <see cref="KeyEncryptionOptions"/>).</summary>
    public KeyEncryption(IOptions<KeyEncryptionOptions> options) : this(Load(options.Value))
    {
    }

    /// <summary>Whether <paramref name="data"/> is a secret wrapped by this class (by any key).</summary>
    public static bool IsWrapped(ReadOnlySpan<byte> data) =>
        data.Length >= Magic.Length + KeyIdSize + NonceSize + TagSize && data[..Magic.Length].SequenceEqual(Magic);

    /// <summary>Encrypts <paramref name="secret"/> for <paramref name="purpose"/>.</summary>
    public byte[] Wrap(ReadOnlySpan<byte> secret, string purpose)
    {
        var output = new byte[Magic.Length + KeyIdSize + NonceSize + TagSize + secret.Length];
        var span = output.AsSpan();
        Magic.CopyTo(span);
        _keyId.CopyTo(span[Magic.Length..]);
        var nonce = span.Slice(Magic.Length + KeyIdSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        var tag = span.Slice(Magic.Length + KeyIdSize + NonceSize, TagSize);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, secret, span[(Magic.Length + KeyIdSize + NonceSize + TagSize)..], tag, Encoding.UTF8.GetBytes(purpose));
        return output;
    }

    /// <summary>Decrypts what <see cref="Wrap"/> made for the same purpose.</summary>
    /// <exception cref="CryptographicException">Wrong key, wrong purpose, or altered data.</exception>
    public byte[] Unwrap(ReadOnlySpan<byte> wrapped, string purpose)
    {
        if (!IsWrapped(wrapped))
        {
            throw new CryptographicException("Not a wrapped secret.");
        }
        var keyId = wrapped.Slice(Magic.Length, KeyIdSize);
        if (!keyId.SequenceEqual(_keyId))
        {
            throw new CryptographicException(
                $"The secret was wrapped with key-encryption key {Convert.ToHexString(keyId)}, but {KeyEncryptionOptions.SectionName} holds key {Convert.ToHexString(_keyId)}.");
        }
        var nonce = wrapped.Slice(Magic.Length + KeyIdSize, NonceSize);
        var tag = wrapped.Slice(Magic.Length + KeyIdSize + NonceSize, TagSize);
        var ciphertext = wrapped[(Magic.Length + KeyIdSize + NonceSize + TagSize)..];
        var plaintext = new byte[ciphertext.Length];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(nonce, ciphertext, tag, plaintext, Encoding.UTF8.GetBytes(purpose));
        return plaintext;
    }

    /// <summary>The key id of the key-encryption key (first bytes of its SHA-256), to tell keys apart in logs.</summary>
    public string KeyId => Convert.ToHexString(_keyId);

    /// <summary>Checks the settings; the message names the missing setting.</summary>
    public static string? Problem(KeyEncryptionOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Key))
        {
            return TryDecode(options.Key, out _) ? null : $"{KeyEncryptionOptions.SectionName}:Key must be 32 bytes in Base64.";
        }
        if (string.IsNullOrWhiteSpace(options.KeyFile))
        {
            return $"{KeyEncryptionOptions.SectionName}:Key (or {KeyEncryptionOptions.SectionName}:KeyFile) is required: the key-encryption key that protects the private keys kept in the database.";
        }
        if (!File.Exists(options.KeyFile) && !options.CreateKeyFile)
        {
            return $"{KeyEncryptionOptions.SectionName}:KeyFile {options.KeyFile} does not exist.";
        }
        return null;
    }

    private static byte[] Load(KeyEncryptionOptions options)
    {
        if (Problem(options) is { } problem)
        {
            throw new OptionsValidationException(KeyEncryptionOptions.SectionName, typeof(KeyEncryptionOptions), [problem]);
        }
        if (!string.IsNullOrWhiteSpace(options.Key))
        {
            TryDecode(options.Key, out var key);
            return key;
        }

        var path = options.KeyFile!;
        if (!File.Exists(path))
        {
            CreateKeyFile(path);
        }
        return TryDecode(File.ReadAllText(path), out var fromFile)
            ? fromFile
            : throw new OptionsValidationException(KeyEncryptionOptions.SectionName, typeof(KeyEncryptionOptions),
                [$"{KeyEncryptionOptions.SectionName}:KeyFile {path} must hold 32 bytes in Base64."]);
    }

    private static void CreateKeyFile(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Never readable by others, not even for the moment between creating and restricting it.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another service of the embedded host made it first: use that one.
            File.Delete(temporary);
        }
    }

    private static bool TryDecode(string text, out byte[] key)
    {
        key = [];
        Span<byte> buffer = stackalloc byte[64];
        if (!Convert.TryFromBase64String(text.Trim(), buffer, out var written) || written != 32)
        {
            return false;
        }
        key = buffer[..32].ToArray();
        return true;
    }
}
