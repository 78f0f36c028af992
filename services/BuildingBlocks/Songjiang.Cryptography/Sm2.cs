using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using System.Security.Cryptography;
using System.Text;

namespace Songjiang.Cryptography;

/// <summary>
/// SM2 signatures with SM3 (GB/T 32918.2, GB/T 32905) on curve sm2p256v1, the way OpenSSL 3 and GmSSL make them:
/// Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ G ‖ P) is prefixed to the message, and the signature is the DER SEQUENCE of r and s.
/// The licences service seals licences with it (ADR 0020) and the exchange seals its log heads and issuers document.
/// </summary>
public static class Sm2
{
    /// <summary>The default distinguishing identifier of GB/T 32918.2 (and of OpenSSL's <c>distid</c>).</summary>
    public const string DefaultSignerId = "1234567812345678";

    /// <summary>The algorithm label written into seals.</summary>
    public const string Algorithm = "SM2-SM3";

    private static readonly byte[] DefaultSignerIdBytes = Encoding.ASCII.GetBytes(DefaultSignerId);

    // Backed by the operating system's CSPRNG and safe to share between threads.
    private static readonly SecureRandom Random = new();

    /// <summary>The sm2p256v1 domain with its OID, so keys serialise with the named curve, as OpenSSL expects.</summary>
    public static ECNamedDomainParameters Domain { get; } =
        new(GMObjectIdentifiers.sm2p256v1, GMNamedCurves.GetByOid(GMObjectIdentifiers.sm2p256v1));

    /// <summary>Generates a key pair from the system's CSPRNG.</summary>
    public static AsymmetricCipherKeyPair GenerateKeyPair()
    {
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(Domain, Random));
        return generator.GenerateKeyPair();
    }

    /// <summary>Signs the message with SM2-with-SM3 and the default signer id; returns the DER signature.</summary>
    public static byte[] Sign(ECPrivateKeyParameters privateKey, ReadOnlySpan<byte> message)
    {
        var signer = new SM2Signer(StandardDsaEncoding.Instance, new SM3Digest());
        signer.Init(true, new ParametersWithID(new ParametersWithRandom(privateKey, Random), DefaultSignerIdBytes));
        signer.BlockUpdate(message);
        return signer.GenerateSignature();
    }

    /// <summary>Checks a DER SM2-with-SM3 signature made with the default signer id.</summary>
    public static bool Verify(ECPublicKeyParameters publicKey, ReadOnlySpan<byte> message, byte[] signature)
    {
        var verifier = new SM2Signer(StandardDsaEncoding.Instance, new SM3Digest());
        verifier.Init(false, new ParametersWithID(publicKey, DefaultSignerIdBytes));
        verifier.BlockUpdate(message);
        try
        {
            return verifier.VerifySignature(signature);
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or FormatException or IOException)
        {
            return false; // not a DER signature at all
        }
    }

    /// <summary>A new private key, as PKCS#8 PrivateKeyInfo (DER).</summary>
    public static byte[] GeneratePrivateKey() => ExportPrivateKey((ECPrivateKeyParameters)GenerateKeyPair().Private);

    /// <summary>The SubjectPublicKeyInfo (DER) of the public half of a private key.</summary>
    public static byte[] PublicKeyInfoOf(ECPrivateKeyParameters privateKey) => ExportPublicKey(PublicKeyOf(privateKey));

    /// <summary>The SubjectPublicKeyInfo (DER) of a public key: id-ecPublicKey with the sm2p256v1 OID.</summary>
    public static byte[] ExportPublicKey(ECPublicKeyParameters publicKey) =>
        SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(publicKey).GetDerEncoded();

    /// <summary>The PKCS#8 PrivateKeyInfo (DER) of a private key.</summary>
    public static byte[] ExportPrivateKey(ECPrivateKeyParameters privateKey) =>
        PrivateKeyInfoFactory.CreatePrivateKeyInfo(privateKey).GetDerEncoded();

    /// <summary>Reads a SubjectPublicKeyInfo; throws <see cref="FormatException"/> unless it is an SM2 public key.</summary>
    public static ECPublicKeyParameters ImportPublicKey(byte[] subjectPublicKeyInfo)
    {
        AsymmetricKeyParameter key;
        try
        {
            key = PublicKeyFactory.CreateKey(SubjectPublicKeyInfo.GetInstance(subjectPublicKeyInfo));
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw new FormatException("Not a DER SubjectPublicKeyInfo.", exception);
        }
        return key is ECPublicKeyParameters ec && IsSm2(ec.Parameters)
            ? ec
            : throw new FormatException("The key is not an SM2 (sm2p256v1) public key.");
    }

    /// <summary>Reads a PKCS#8 PrivateKeyInfo; throws <see cref="FormatException"/> unless it is an SM2 private key.</summary>
    public static ECPrivateKeyParameters ImportPrivateKey(byte[] privateKeyInfo)
    {
        AsymmetricKeyParameter key;
        try
        {
            key = PrivateKeyFactory.CreateKey(PrivateKeyInfo.GetInstance(privateKeyInfo));
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw new FormatException("Not a DER PKCS#8 private key.", exception);
        }
        return key is ECPrivateKeyParameters ec && IsSm2(ec.Parameters)
            ? ec
            : throw new FormatException("The key is not an SM2 (sm2p256v1) private key.");
    }

    /// <summary>The public half of a private key.</summary>
    public static ECPublicKeyParameters PublicKeyOf(ECPrivateKeyParameters privateKey) =>
        new(Domain.G.Multiply(privateKey.D).Normalize(), Domain);

    /// <summary>A public key as PEM (<c>-----BEGIN PUBLIC KEY-----</c>), readable by <c>openssl pkey -pubin</c>.</summary>
    public static string PublicKeyPem(byte[] subjectPublicKeyInfo) => PemEncoding.WriteString("PUBLIC KEY", subjectPublicKeyInfo);

    /// <summary>Reads a PEM public key; throws <see cref="FormatException"/> when it is not one.</summary>
    public static byte[] PublicKeyFromPem(string pem) => FromPem(pem, "PUBLIC KEY");

    /// <summary>Reads a PEM PKCS#8 private key (<c>-----BEGIN PRIVATE KEY-----</c>).</summary>
    public static byte[] PrivateKeyFromPem(string pem) => FromPem(pem, "PRIVATE KEY");

    /// <summary>
    /// The key id: <c>sm2-</c> and the first 16 bytes of SHA-256 over the SubjectPublicKeyInfo, in hex — stable, so
    /// anyone holding the public key can recompute it.
    /// </summary>
    public static string KeyIdOf(byte[] subjectPublicKeyInfo) =>
        "sm2-" + Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo).AsSpan(0, 16));

    private static byte[] FromPem(string pem, string label)
    {
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            throw new FormatException($"Not PEM: expected -----BEGIN {label}-----.");
        }
        var found = pem[fields.Label];
        if (!string.Equals(found, label, StringComparison.Ordinal))
        {
            throw new FormatException($"Expected a PEM '{label}', found '{found}'.");
        }
        return Convert.FromBase64String(pem[fields.Base64Data]);
    }

    private static bool IsSm2(ECDomainParameters parameters) =>
        parameters.Curve.Equals(Domain.Curve) && parameters.G.Equals(Domain.G);
}
