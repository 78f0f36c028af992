using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Songjiang.LocalHost;

// Signed partner calls against the same endpoint called with a partner system's client-credentials bearer token,
// in the same run, through the gateway of the embedded platform: GET /api/partner/v1/matters as Jiaxing (330400).
// The signed path includes the signature check, the nonce insert and the message-log append; the bearer path the
// token validation. Rounds alternate so both see the same machine; the median round by ratio is reported.
//
//   dotnet run -c Release --project bench/Songjiang.Exchange.Benchmarks -- [seconds per round] [rounds] [concurrency]
var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
const string City = "330400";
const string Secret = "demo-g60-330400-signing-key";
const string Path = "/api/partner/v1/matters";

var data = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "songjiang-bench-exchange-" + Guid.NewGuid().ToString("N"));
var ports = FreePorts(PlatformHost.ServiceModules.Count + 1);
var settings = new Dictionary<string, string?>
{
    ["Platform:GatewayUrl"] = $"http://127.0.0.1:{ports[0]}",
    ["Platform:DataDirectory"] = data,
    ["Identity:DemoProfile"] = "true",
    ["Identity:RequireHttps"] = "false",
    ["ServiceAccount:ClientId"] = "songjiang-services",
    ["ServiceAccount:ClientSecret"] = "demo-services-secret",
    ["Gateway:RateLimit:Burst"] = "1000000",
    ["Gateway:RateLimit:TokensPerPeriod"] = "1000000",
    ["Logging:LogLevel:Default"] = "Warning",
    ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Error",
};
var index = 1;
foreach (var module in PlatformHost.ServiceModules)
{
    settings[$"Platform:Services:{module.Name}"] = $"http://127.0.0.1:{ports[index++]}";
}
var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
await using var host = await PlatformHost.StartAsync(configuration, "Production");
using var http = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null, MaxConnectionsPerServer = concurrency * 2 })
{
    BaseAddress = host.GatewayUri,
};

var token = await TokenAsync(http);
Console.WriteLine($"Exchange benchmark: GET {Path}, {concurrency} concurrent clients, {rounds} rounds of {seconds} s per path");
await RunAsync("warm-up bearer", Bearer, seconds);
await RunAsync("warm-up signed", Signed, seconds);

var results = new List<(Result Bearer, Result Signed)>();
for (var round = 1; round <= rounds; round++)
{
    var bearer = await RunAsync($"round {round} bearer", Bearer, seconds);
    var signed = await RunAsync($"round {round} signed", Signed, seconds);
    results.Add((bearer, signed));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"round {round}: bearer {bearer.Rate:F0}/s (p50 {bearer.P50:F1} ms, p99 {bearer.P99:F1} ms), signed {signed.Rate:F0}/s (p50 {signed.P50:F1} ms, p99 {signed.P99:F1} ms), ratio {signed.Rate / bearer.Rate:F2}"));
}
var median = results.OrderBy(r => r.Signed.Rate / r.Bearer.Rate).ElementAt(results.Count / 2);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"median round: bearer {median.Bearer.Rate:F0}/s p50 {median.Bearer.P50:F1} ms p99 {median.Bearer.P99:F1} ms; signed {median.Signed.Rate:F0}/s p50 {median.Signed.P50:F1} ms p99 {median.Signed.P99:F1} ms; ratio {median.Signed.Rate / median.Bearer.Rate:F2} (range {results.Min(r => r.Signed.Rate / r.Bearer.Rate):F2}–{results.Max(r => r.Signed.Rate / r.Bearer.Rate):F2})"));
var errors = results.Sum(r => r.Bearer.Errors + r.Signed.Errors);
if (errors > 0)
{
    Console.WriteLine($"{errors} requests failed");
}
try
{
    Directory.Delete(data, recursive: true);
}
catch (IOException)
{
}
return errors == 0 ? 0 : 1;

HttpRequestMessage Bearer()
{
    var request = new HttpRequestMessage(HttpMethod.Get, Path);
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    return request;
}

HttpRequestMessage Signed()
{
    var request = new HttpRequestMessage(HttpMethod.Get, Path);
    var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
    var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    var canonical = $"GET\n{Path}\n{timestamp}\n{nonce}\n{Convert.ToHexStringLower(SHA256.HashData([]))}";
    request.Headers.Add("X-G60-City", City);
    request.Headers.Add("X-G60-Key-Id", "demo-1");
    request.Headers.Add("X-G60-Timestamp", timestamp);
    request.Headers.Add("X-G60-Nonce", nonce);
    request.Headers.Add("X-G60-Signature", Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(canonical))));
    return request;
}

async Task<Result> RunAsync(string name, Func<HttpRequestMessage> create, int duration)
{
    var stop = Stopwatch.StartNew();
    var end = TimeSpan.FromSeconds(duration);
    var latencies = new List<double>[concurrency];
    var failures = 0;
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
    {
        var own = latencies[worker] = [];
        while (stop.Elapsed < end)
        {
            var started = Stopwatch.GetTimestamp();
            using var request = create();
            using var response = await http.SendAsync(request);
            await response.Content.CopyToAsync(Stream.Null);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Interlocked.Increment(ref failures);
            }
            own.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }));
    var all = latencies.SelectMany(l => l).Order().ToArray();
    return new Result(name, all.Length / stop.Elapsed.TotalSeconds, Percentile(all, 0.50), Percentile(all, 0.99), failures);
}

static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

static async Task<string> TokenAsync(HttpClient http)
{
    using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
    {
        ["grant_type"] = "client_credentials",
        ["client_id"] = "g60-" + City,
        ["client_secret"] = $"demo-g60-{City}-secret",
        ["scope"] = "api",
    }));
    response.EnsureSuccessStatusCode();
    return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;
}

static int[] FreePorts(int count)
{
    var ports = new HashSet<int>();
    while (ports.Count < count)
    {
        var port = Random.Shared.Next(20000, 32768);
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            ports.Add(port);
        }
        catch (SocketException)
        {
        }
    }
    return [.. ports];
}

internal sealed record Result(string Name, double Rate, double P50, double P99, int Errors);
