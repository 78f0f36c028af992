using Org.BouncyCastle.Crypto.Parameters;
using Songjiang.Cryptography;
using Songjiang.Licenses.Api.Sealing;
using System.Text;

namespace Songjiang.Licenses.Tests.Sealing;

public sealed class Sm2Tests
{
    private static readonly byte[] Message = Encoding.UTF8.GetBytes("{\"licenceNumber\":\"YYZZ-310117-2026-TEST0001\"}");

    [Fact]
    public void A_signature_verifies_with_the_public_key_and_fails_with_another()
    {
        var pair = Sm2.GenerateKeyPair();
        var other = Sm2.GenerateKeyPair();
        var signature = Sm2.Sign((ECPrivateKeyParameters)pair.Private, Message);

        Assert.True(Sm2.Verify((ECPublicKeyParameters)pair.Public, Message, signature));
        Assert.False(Sm2.Verify((ECPublicKeyParameters)other.Public, Message, signature));
        Assert.False(Sm2.Verify((ECPublicKeyParameters)pair.Public, [.. Message, (byte)' '], signature));
        Assert.False(Sm2.Verify((ECPublicKeyParameters)pair.Public, Message, [0x30, 0x03, 0x02, 0x01]));
    }

    [Fact]
    public void Keys_round_trip_through_der_and_pem_with_a_stable_key_id()
    {
        var pair = Sm2.GenerateKeyPair();
        var publicKey = Sm2.ExportPublicKey((ECPublicKeyParameters)pair.Public);
        var pem = Sm2.PublicKeyPem(publicKey);
        var privateKey = Sm2.ImportPrivateKey(Sm2.ExportPrivateKey((ECPrivateKeyParameters)pair.Private));

        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", pem, StringComparison.Ordinal);
        Assert.Equal(publicKey, Sm2.PublicKeyFromPem(pem));
        Assert.Equal(Sm2.KeyIdOf(publicKey), Sm2.KeyIdOf(Sm2.ExportPublicKey(Sm2.PublicKeyOf(privateKey))));
        Assert.Matches("^sm2-[0-9a-f]{32}$", Sm2.KeyIdOf(publicKey));
        Assert.True(Sm2.Verify(Sm2.ImportPublicKey(publicKey), Message, Sm2.Sign(privateKey, Message)));
    }

    [Fact]
    public void A_key_on_another_curve_is_refused()
    {
        using var p256 = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);

        var error = Assert.Throws<FormatException>(() => Sm2.ImportPublicKey(p256.ExportSubjectPublicKeyInfo()));
        Assert.Contains("SM2", error.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => Sm2.PublicKeyFromPem("not a key"));
    }
}
