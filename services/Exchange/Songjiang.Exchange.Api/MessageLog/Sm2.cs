using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Asn1.Pkcs;
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

namespace Songjiang.Exchange.Api.MessageLog;

/// <summary>
/// SM2 signatures with SM3 (GB/T 32918.2, GB/T 32905) the way the licences service seals (ADR 0020) and OpenSSL 3
/// verifies: default signer id, DER signature. The exchange keeps its own copy: services share no code but the
/// building blocks.
/// </summary>
public static class Sm2
{
    /// <summary>The default distinguishing identifier of GB/T 32918.2.</summary>
    public const string DefaultSignerId = "1234567812345678";

    /// <summary>The algorithm label.</summary>
    public const string Algorithm = "SM2-SM3";

    private static readonly byte[] SignerIdBytes = Encoding.ASCII.GetBytes(DefaultSignerId);
    private static readonly SecureRandom Random = new();
    private static readonly ECNamedDomainParameters Domain =
        new(GMObjectIdentifiers.sm2p256v1, GMNamedCurves.GetByOid(GMObjectIdentifiers.sm2p256v1));

    /// <summary>A new private key (PKCS#8 DER).</summary>
    public static byte[] GeneratePrivateKey()
    {
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(Domain, Random));
        return PrivateKeyInfoFactory.CreatePrivateKeyInfo(generator.GenerateKeyPair().Private).GetDerEncoded();
    }

    /// <summary>Reads a PKCS#8 DER SM2 private key.</summary>
    public static ECPrivateKeyParameters ImportPrivateKey(byte[] pkcs8) =>
        PrivateKeyFactory.CreateKey(PrivateKeyInfo.GetInstance(pkcs8)) is ECPrivateKeyParameters key
            && key.Parameters.Curve.Equals(Domain.Curve)
            ? key
            : throw new FormatException("The platform key is not an SM2 (sm2p256v1) private key.");

    /// <summary>The SubjectPublicKeyInfo DER of the private key's public half.</summary>
    public static byte[] PublicKeyOf(ECPrivateKeyParameters privateKey) =>
        SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(new ECPublicKeyParameters(Domain.G.Multiply(privateKey.D).Normalize(), Domain))
            .GetDerEncoded();

    /// <summary>Reads a SubjectPublicKeyInfo DER.</summary>
    public static ECPublicKeyParameters ImportPublicKey(byte[] spki) =>
        PublicKeyFactory.CreateKey(spki) as ECPublicKeyParameters ?? throw new FormatException("Not an EC public key.");

    /// <summary>Signs with SM2-with-SM3.</summary>
    public static byte[] Sign(ECPrivateKeyParameters privateKey, ReadOnlySpan<byte> message)
    {
        var signer = new SM2Signer(StandardDsaEncoding.Instance, new SM3Digest());
        signer.Init(true, new ParametersWithID(new ParametersWithRandom(privateKey, Random), SignerIdBytes));
        signer.BlockUpdate(message);
        return signer.GenerateSignature();
    }

    /// <summary>Checks an SM2-with-SM3 DER signature.</summary>
    public static bool Verify(ECPublicKeyParameters publicKey, ReadOnlySpan<byte> message, byte[] signature)
    {
        var verifier = new SM2Signer(StandardDsaEncoding.Instance, new SM3Digest());
        verifier.Init(false, new ParametersWithID(publicKey, SignerIdBytes));
        verifier.BlockUpdate(message);
        try
        {
            return verifier.VerifySignature(signature);
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or FormatException or IOException)
        {
            return false;
        }
    }

    /// <summary>The key id: <c>sm2-</c> and the first 16 bytes of SHA-256 over the public key, in hex.</summary>
    public static string KeyIdOf(byte[] spki) => "sm2-" + Convert.ToHexStringLower(SHA256.HashData(spki).AsSpan(0, 16));

    /// <summary>PEM of a public key.</summary>
    public static string PublicKeyPem(byte[] spki) => PemEncoding.WriteString("PUBLIC KEY", spki);

    /// <summary>DER of a PEM private key.</summary>
    public static byte[] PrivateKeyFromPem(string pem) =>
        PemEncoding.TryFind(pem, out var fields) && pem[fields.Label] == "PRIVATE KEY"
            ? Convert.FromBase64String(pem[fields.Base64Data])
            : throw new FormatException("Exchange:PlatformKeyPem must be a PEM PKCS#8 private key (-----BEGIN PRIVATE KEY-----).");
}
