using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace Songjiang.Persistence.Secrets;

/// <summary>Data Protection keys wrapped with the key-encryption key before they are stored (in the database).</summary>
public static class KeyEncryptionDataProtection
{
    /// <summary>Wraps every new Data Protection key with <see cref="KeyEncryption"/>.</summary>
    public static IDataProtectionBuilder ProtectKeysWithKeyEncryption(this IDataProtectionBuilder builder)
    {
        builder.Services.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>()
            .Configure<IServiceProvider>((options, services) => options.XmlEncryptor = new KeyEncryptionXmlEncryptor(services));
        return builder;
    }
}

/// <summary>Encrypts a Data Protection key element with AES-256-GCM under the key-encryption key.</summary>
public sealed class KeyEncryptionXmlEncryptor(IServiceProvider services) : IXmlEncryptor
{
    internal const string Purpose = "Songjiang.DataProtection.Key.v1";

    /// <inheritdoc />
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var encryption = services.GetRequiredService<KeyEncryption>();
        var wrapped = encryption.Wrap(System.Text.Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting)), Purpose);
        var element = new XElement("keyEncryption", new XAttribute("keyId", encryption.KeyId), Convert.ToBase64String(wrapped));
        return new EncryptedXmlInfo(element, typeof(KeyEncryptionXmlDecryptor));
    }
}

/// <summary>Decrypts what <see cref="KeyEncryptionXmlEncryptor"/> wrapped.</summary>
public sealed class KeyEncryptionXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    /// <inheritdoc />
    public XElement Decrypt(XElement encryptedElement)
    {
        var encryption = services.GetRequiredService<KeyEncryption>();
        var plaintext = encryption.Unwrap(Convert.FromBase64String(encryptedElement.Value), KeyEncryptionXmlEncryptor.Purpose);
        return XElement.Parse(System.Text.Encoding.UTF8.GetString(plaintext));
    }
}
