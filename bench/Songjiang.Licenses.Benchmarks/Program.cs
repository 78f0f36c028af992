using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Songjiang.Cryptography;
using Songjiang.Licenses.Api.Canonical;
using Songjiang.Licenses.Api.Documents;
using Songjiang.Licenses.Api.Extensions;
using Songjiang.Licenses.Api.Issuance;
using Songjiang.Licenses.Api.Sealing;
using Songjiang.Licenses.Api.Verification;
using Songjiang.Licenses.Benchmarks;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

// Usage: dotnet run -c Release --project bench/Songjiang.Licenses.Benchmarks -- [seconds=3] [verifications=3000]
var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
var verifications = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3000;
var folder = Directory.CreateTempSubdirectory("licences-bench-").FullName;
Console.WriteLine($"Licences benchmark: {Environment.ProcessorCount} cores, {RuntimeDescription()}, {seconds} s per rate");

try
{
    // The service's own registrations, on a SQLite file, as the embedded profile runs them.
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
    builder.Configuration.Sources.Clear();
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Database:Provider"] = "Sqlite",
        ["Database:DataDirectory"] = folder,
        ["Licenses:PublicBaseUrl"] = "http://127.0.0.1:8080",
    });
    builder.Logging.ClearProviders();
    builder.AddApplicationServices();
    using var host = builder.Build();
    await host.StartAsync();

    // Issue licences through the service's issuer: real numbers, status indexes, seals and rows.
    var documents = new List<string>();
    await using (var scope = host.Services.CreateAsyncScope())
    {
        var issuer = scope.ServiceProvider.GetRequiredService<LicenceIssuer>();
        for (var i = 0; i < 200; i++)
        {
            var result = await issuer.IssueAsync(SampleLicence(i), CancellationToken.None);
            documents.Add(SealedDocument.Write(result.Licence.Payload, result.Licence.KeyId, result.Licence.Signature));
        }
    }

    // 1. Raw SM2 in the service's code path (Sm2.Sign / Sm2.Verify with the cached public key), one thread.
    SigningKey key;
    VerificationKey publicKey;
    await using (var scope = host.Services.CreateAsyncScope())
    {
        var keys = scope.ServiceProvider.GetRequiredService<SealKeyStore>();
        key = await keys.ActiveKeyAsync("11310117002426838Q", CancellationToken.None);
        publicKey = (await keys.FindAsync(key.KeyId, CancellationToken.None))!;
    }
    var cache = host.Services.GetRequiredService<Sm2KeyCache>();
    var payload = JsonCanonicalizer.Canonicalize(JsonDocument.Parse(documents[0]).RootElement.GetProperty("licence"));
    var signature = Sm2.Sign(key.PrivateKey, payload);
    Console.WriteLine($"payload: {payload.Length} bytes of canonical JSON");

    Rate(TimeSpan.FromSeconds(1), () => Sm2.Sign(key.PrivateKey, payload)); // warm-up
    var signRate = Rate(TimeSpan.FromSeconds(seconds), () => Sm2.Sign(key.PrivateKey, payload));
    Rate(TimeSpan.FromSeconds(1), () => Sm2.Verify(cache.PublicKey(publicKey.PublicKey), payload, signature));
    var verifyRate = Rate(TimeSpan.FromSeconds(seconds), () =>
    {
        if (!Sm2.Verify(cache.PublicKey(publicKey.PublicKey), payload, signature))
        {
            throw new InvalidOperationException("A good signature failed to verify.");
        }
    });

    // 2. The baseline, same machine, same run.
    var openssl = await OpenSslSpeed.RunAsync(seconds, Console.Out);

    // 3. Full offline verification: parse the document, canonicalise, verify, look the status up in the database.
    var latencies = new double[verifications];
    double cpuPerVerification, wallPerVerification;
    await using (var scope = host.Services.CreateAsyncScope())
    {
        var verifier = scope.ServiceProvider.GetRequiredService<LicenceVerifier>();
        // Two seconds of warm-up, so that tiered compilation has promoted the hot path before timing starts.
        var warmUp = Stopwatch.StartNew();
        for (var i = 0; warmUp.Elapsed < TimeSpan.FromSeconds(2); i++)
        {
            await VerifyAsync(verifier, documents[i % documents.Count]);
        }
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var wallBefore = Stopwatch.GetTimestamp();
        for (var i = 0; i < verifications; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await VerifyAsync(verifier, documents[i % documents.Count]);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        // CPU of the whole process (background workers included) per verification: what it costs, not what it waits.
        cpuPerVerification = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / verifications;
        wallPerVerification = Stopwatch.GetElapsedTime(wallBefore).TotalMilliseconds / verifications;
    }
    Array.Sort(latencies);

    Console.WriteLine();
    Console.WriteLine("| measure | service (BouncyCastle 2.7.0) | openssl speed sm2 | ratio | target |");
    Console.WriteLine("|---|---|---|---|---|");
    Console.WriteLine($"| SM2 sign, 1 core | {signRate:N0}/s | {Show(openssl?.Sign)} | {Ratio(signRate, openssl?.Sign)} | |");
    Console.WriteLine($"| SM2 verify, 1 core | {verifyRate:N0}/s | {Show(openssl?.Verify)} | {Ratio(verifyRate, openssl?.Verify)} | ≥ 0.50 |");
    Console.WriteLine();
    Console.WriteLine($"full verification ({verifications:N0} documents): p50 {Percentile(latencies, 0.50):F2} ms, " +
        $"p99 {Percentile(latencies, 0.99):F2} ms, max {latencies[^1]:F2} ms (target p99 < 5 ms); " +
        $"mean {wallPerVerification:F2} ms wall, {cpuPerVerification:F2} ms CPU; {latencies.Count(l => l > 2):N0} over 2 ms");
    await host.StopAsync();
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(folder, recursive: true);
}

static async Task VerifyAsync(LicenceVerifier verifier, string document)
{
    using var parsed = JsonDocument.Parse(document);
    var answer = await verifier.VerifyAsync(parsed.RootElement, CancellationToken.None);
    if (answer.Outcome != VerificationOutcomes.Valid)
    {
        throw new InvalidOperationException($"Expected valid, got {answer.Outcome}: {string.Join(" ", answer.Reasons)}");
    }
}

static double Rate(TimeSpan duration, Action operation)
{
    var count = 0;
    var watch = Stopwatch.StartNew();
    while (watch.Elapsed < duration)
    {
        operation();
        count++;
    }
    return count / watch.Elapsed.TotalSeconds;
}

static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

static string Show(double? rate) => rate is { } r ? $"{r:N0}/s" : "n/a";

static string Ratio(double rate, double? baseline) => baseline is { } b and > 0 ? $"**{rate / b:F2}**" : "n/a";

static string RuntimeDescription() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

static IssueLicenceCommand SampleLicence(int i) => new(
    "business-licence", $"上海松江样例{i:D4}科技有限公司", Uscc(i),
    new Dictionary<string, JsonElement>
    {
        ["legalRepresentative"] = JsonSerializer.SerializeToElement("王伟"),
        ["entityType"] = JsonSerializer.SerializeToElement("有限责任公司"),
        ["registeredCapitalTenThousandYuan"] = JsonSerializer.SerializeToElement(500 + i),
        ["establishedOn"] = JsonSerializer.SerializeToElement("2020-06-01"),
        ["address"] = JsonSerializer.SerializeToElement("上海市松江区洞泾镇沈砖公路5599号"),
        ["businessScope"] = JsonSerializer.SerializeToElement(
            "一般项目：技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；人工智能应用软件开发；集成电路设计；软件开发。"),
    },
    null, null, $"BENCH-{i}", "bench", null);

// A valid USCC for sample i (GB 32100 check character).
static string Uscc(int i)
{
    var first17 = $"91310117MA1{i:D6}";
    return first17 + Songjiang.SharedKernel.UnifiedSocialCreditCode.CheckCharacter(first17);
}
