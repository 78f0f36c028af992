using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace Songjiang.Exchange.Tests.Support;

/// <summary>SM2-with-SM3 verification as a partner would do it (default signer id, DER signature).</summary>
public static class Sm2Check
{
    /// <summary>Reads a PEM public key.</summary>
    public static ECPublicKeyParameters PublicKeyFromPem(string pem)
    {
        Assert.True(PemEncoding.TryFind(pem, out var fields));
        return (ECPublicKeyParameters)PublicKeyFactory.CreateKey(Convert.FromBase64String(pem[fields.Base64Data]));
    }

    /// <summary>Checks a signature.</summary>
    public static bool Verify(ECPublicKeyParameters key, byte[] message, byte[] signature)
    {
        var verifier = new SM2Signer(StandardDsaEncoding.Instance, new SM3Digest());
        verifier.Init(false, new ParametersWithID(key, Encoding.ASCII.GetBytes("1234567812345678")));
        verifier.BlockUpdate(message, 0, message.Length);
        return verifier.VerifySignature(signature);
    }
}
