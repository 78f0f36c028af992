using Songjiang.Cryptography;
using Songjiang.Licenses.Api.Canonical;
using Songjiang.Licenses.Tests.Support;
using Songjiang.Testing;
using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Songjiang.Licenses.Tests.Verification;

/// <summary>Seals made here verify with the openssl command line, and seals made by openssl verify here.</summary>
public sealed class OpenSslInteropTests(LicensesFixture platform) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("licence-openssl-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task An_issued_licence_verifies_with_openssl_pkeyutl_and_a_changed_payload_does_not()
    {
        await SkipWithoutSm2Async();
        var document = JsonDocument.Parse(await platform.DocumentAsync(await platform.IssueBusinessLicenceAsync())).RootElement;
        var seal = document.GetProperty("seal");
        using var keysResponse = await platform.SendAsync(HttpMethod.Get, "/api/licenses/public/issuer-keys", null);
        var publicKeyPem = (await PlatformFixture.JsonOf(keysResponse)).GetProperty("keys").EnumerateArray()
            .Single(k => k.GetProperty("kid").GetString() == seal.GetProperty("kid").GetString()).GetProperty("publicKeyPem").GetString()!;

        // Export: canonical payload, DER signature, PEM public key.
        var payload = JsonCanonicalizer.Canonicalize(document.GetProperty("licence"));
        await File.WriteAllBytesAsync(Path.Combine(_folder, "payload"), payload);
        await File.WriteAllBytesAsync(Path.Combine(_folder, "sig"), Convert.FromBase64String(seal.GetProperty("signature").GetString()!));
        await File.WriteAllTextAsync(Path.Combine(_folder, "pub.pem"), publicKeyPem);
        payload[20] ^= 0x01;
        await File.WriteAllBytesAsync(Path.Combine(_folder, "tampered"), payload);

        var verified = await OpenSslAsync("pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin", "-in", "payload",
            "-sigfile", "sig", "-digest", "sm3", "-pkeyopt", "distid:1234567812345678");
        var refused = await OpenSslAsync("pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin", "-in", "tampered",
            "-sigfile", "sig", "-digest", "sm3", "-pkeyopt", "distid:1234567812345678");

        Assert.True(verified.ExitCode == 0, verified.Output);
        Assert.Contains("Signature Verified Successfully", verified.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, refused.ExitCode);
    }

    [Fact]
    public async Task A_licence_sealed_by_openssl_verifies_here()
    {
        await SkipWithoutSm2Async();
        Assert.Equal(0, (await OpenSslAsync("genpkey", "-algorithm", "SM2", "-out", "partner.pem")).ExitCode);
        Assert.Equal(0, (await OpenSslAsync("pkey", "-in", "partner.pem", "-pubout", "-out", "partner.pub.pem")).ExitCode);
        var partnerPem = await File.ReadAllTextAsync(Path.Combine(_folder, "partner.pub.pem"));
        var kid = Sm2.KeyIdOf(Sm2.PublicKeyFromPem(partnerPem));
        using var trusted = await platform.SendAsync(HttpMethod.Post, "/api/licenses/trust-list", "admin",
            new { issuerCode = "11320500MB0A1B2C3D", issuerName = "苏州市市场监督管理局", cityCode = "320500", publicKeyPem = partnerPem });
        Assert.Equal(HttpStatusCode.Created, trusted.StatusCode);

        var today = PartnerIssuer.Today.ToString("yyyy-MM-dd");
        var canonical = JsonCanonicalizer.Canonicalize(
            $$"""{"licenceNumber":"YYZZ-320500-2026-OSSL0001","issuer":{"code":"11320500MB0A1B2C3D","name":"苏州市市场监督管理局","divisionCode":"320500"},"holder":{"name":"苏州示例有限公司","identifier":"91320500MA1X2Y3Z4P"},"type":{"code":"business-licence","name":"营业执照"},"validFrom":"{{today}}","validUntil":null}""");
        await File.WriteAllBytesAsync(Path.Combine(_folder, "partner-payload"), canonical);
        var signed = await OpenSslAsync("pkeyutl", "-sign", "-inkey", "partner.pem", "-rawin", "-in", "partner-payload",
            "-out", "partner-sig", "-digest", "sm3", "-pkeyopt", "distid:1234567812345678");
        Assert.True(signed.ExitCode == 0, signed.Output);

        var signature = Convert.ToBase64String(await File.ReadAllBytesAsync(Path.Combine(_folder, "partner-sig")));
        var document = "{\"licence\":" + System.Text.Encoding.UTF8.GetString(canonical)
            + $",\"seal\":{{\"alg\":\"SM2-SM3\",\"kid\":\"{kid}\",\"signerId\":\"1234567812345678\",\"signature\":\"{signature}\"}}}}";
        var answer = await platform.VerifyDocumentAsync(document);

        Assert.Equal("valid", LicensesFixture.OutcomeOf(answer));
    }

    private static async Task SkipWithoutSm2Async()
    {
        var probe = await RunAsync(Path.GetTempPath(), "list", "-public-key-algorithms");
        Assert.SkipWhen(probe.ExitCode != 0, "openssl is not installed: the interoperability check needs OpenSSL 3 with SM2.");
        Assert.SkipUnless(probe.Output.Contains("SM2", StringComparison.Ordinal), "this openssl has no SM2 support (it needs OpenSSL 3 built with SM2).");
    }

    private Task<(int ExitCode, string Output)> OpenSslAsync(params string[] arguments) => RunAsync(_folder, arguments);

    private static async Task<(int ExitCode, string Output)> RunAsync(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await output + await error);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (-1, "openssl not found");
        }
    }
}
