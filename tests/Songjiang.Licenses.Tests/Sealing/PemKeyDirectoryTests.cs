using Microsoft.Extensions.Options;
using Org.BouncyCastle.Crypto.Parameters;
using Songjiang.Cryptography;
using Songjiang.Licenses.Api.Extensions;
using Songjiang.Licenses.Api.Sealing;

namespace Songjiang.Licenses.Tests.Sealing;

public sealed class PemKeyDirectoryTests : IDisposable
{
    private const string Authority = "11310117002426838Q";
    private readonly string _root = Directory.CreateTempSubdirectory("licence-pem-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static (string PrivatePem, string PublicPem, string KeyId) NewKey()
    {
        var pair = Sm2.GenerateKeyPair();
        var publicKey = Sm2.ExportPublicKey((ECPublicKeyParameters)pair.Public);
        var privatePem = System.Security.Cryptography.PemEncoding.WriteString("PRIVATE KEY", Sm2.ExportPrivateKey((ECPrivateKeyParameters)pair.Private));
        return (privatePem, Sm2.PublicKeyPem(publicKey), Sm2.KeyIdOf(publicKey));
    }

    private PemKeyDirectory Load(Dictionary<string, string>? active = null) => new(Options.Create(new LicensesOptions
    {
        KeyMode = SealKeyMode.PemFiles,
        KeysDirectory = _root,
        ActiveKeys = active ?? [],
    }));

    [Fact]
    public void The_private_key_seals_and_a_retired_public_key_still_verifies()
    {
        var current = NewKey();
        var retired = NewKey();
        var folder = Directory.CreateDirectory(Path.Combine(_root, Authority)).FullName;
        File.WriteAllText(Path.Combine(folder, "2027.pem"), current.PrivatePem);
        File.WriteAllText(Path.Combine(folder, "2026.pub.pem"), retired.PublicPem);

        var keys = Load();

        Assert.Equal(current.KeyId, keys.ActiveKey(Authority)?.KeyId);
        Assert.True(keys.Find(current.KeyId)?.Active);
        Assert.False(keys.Find(retired.KeyId)?.Active);
        Assert.Equal(Authority, keys.Find(retired.KeyId)?.IssuerCode);
        Assert.Null(keys.ActiveKey("11310117002424651B"));
    }

    [Fact]
    public void Several_private_keys_need_the_active_one_named_and_a_wrong_name_stops_the_start()
    {
        var first = NewKey();
        var second = NewKey();
        var folder = Directory.CreateDirectory(Path.Combine(_root, Authority)).FullName;
        File.WriteAllText(Path.Combine(folder, "a.pem"), first.PrivatePem);
        File.WriteAllText(Path.Combine(folder, "b.pem"), second.PrivatePem);

        Assert.Null(Load().ActiveKey(Authority));
        Assert.Equal(second.KeyId, Load(new() { [Authority] = second.KeyId }).ActiveKey(Authority)?.KeyId);
        Assert.Throws<InvalidOperationException>(() => Load(new() { [Authority] = "sm2-unknown" }));
    }

    [Fact]
    public void A_file_that_is_not_an_sm2_key_stops_the_start_with_its_name()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, Authority)).FullName;
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        File.WriteAllText(Path.Combine(folder, "rsa.pem"), rsa.ExportSubjectPublicKeyInfoPem());

        var error = Assert.Throws<InvalidOperationException>(() => Load());
        Assert.Contains("rsa.pem", error.Message, StringComparison.Ordinal);
    }
}
