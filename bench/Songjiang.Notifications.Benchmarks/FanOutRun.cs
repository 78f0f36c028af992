using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Songjiang.Notifications.Benchmarks;

/// <summary>
/// Opens N server-sent event streams to the notification service, one user each, and publishes one task event to a
/// department queue that M of them belong to; measures for each of the M how long after the publish it arrived. The
/// baseline is the same fan-out with only the M streams open, in the same run; the result is the ratio.
/// </summary>
public sealed class FanOutRun(FanOutRun.Options options)
{
    /// <summary>Run settings.</summary>
    /// <param name="Clients">Open streams in the full phase.</param>
    /// <param name="FanOut">Streams of the department the event goes to.</param>
    /// <param name="Rounds">Events per phase.</param>
    public sealed record Options(int Clients, int FanOut, int Rounds)
    {
        /// <summary>Reads <c>--clients</c>, <c>--fanout</c>, <c>--rounds</c>.</summary>
        public static Options Parse(string[] args)
        {
            int Value(string name, int fallback)
            {
                var i = Array.IndexOf(args, name);
                return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
            }
            return new Options(Value("--clients", 10_000), Value("--fanout", 1_000), Value("--rounds", 10));
        }
    }

    private const string TargetDepartment = "bench-queue";
    private long[] _received = [];
    private string _marker = "\u0000";
    private int _count;
    private TaskCompletionSource _allReceived = new();

    /// <summary>Runs both phases and prints the figures.</summary>
    public async Task<int> RunAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "songjiang-bench-notifications", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        using var rsa = RSA.Create(2048);
        var keyFile = Path.Combine(folder, "signing.pem");
        await File.WriteAllTextAsync(keyFile, rsa.ExportRSAPrivateKeyPem());
        var port = FreePort();
        using var server = StartServer(port, keyFile, folder);
        try
        {
            var baseAddress = new Uri($"http://127.0.0.1:{port}");
            using var control = new HttpClient { BaseAddress = baseAddress };
            Console.WriteLine($"server pid {server.Id} on {baseAddress}; minting {options.Clients} tokens");
            var tokens = MintTokens(rsa, options.Clients, options.FanOut);
            _received = new long[options.Clients];

            using var handler = new SocketsHttpHandler
            {
                MaxConnectionsPerServer = int.MaxValue,
                ActivityHeadersPropagator = null,
                ConnectTimeout = TimeSpan.FromSeconds(30),
            };
            using var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
            using var stop = new CancellationTokenSource();

            var idle = await MemoryAsync(control);
            var streams = new List<Task>();
            await ConnectAsync(http, tokens, 0, options.FanOut, streams, stop.Token);
            await WaitForStreamsAsync(control, options.FanOut);
            await RoundAsync(control, "warm-up");
            var baseline = new List<double>();
            for (var r = 0; r < options.Rounds; r++)
            {
                baseline.AddRange(await RoundAsync(control, $"baseline-{r}"));
            }
            var withTargets = await MemoryAsync(control);

            await ConnectAsync(http, tokens, options.FanOut, options.Clients, streams, stop.Token);
            await WaitForStreamsAsync(control, options.Clients);
            var full = await MemoryAsync(control);
            await RoundAsync(control, "warm-up-full");
            var loaded = new List<double>();
            for (var r = 0; r < options.Rounds; r++)
            {
                loaded.AddRange(await RoundAsync(control, $"full-{r}"));
            }

            Report(baseline, loaded, idle, withTargets, full);
            await stop.CancelAsync();
            return Percentile(loaded, 0.99) < 1000 ? 0 : 1;
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    private void Report(List<double> baseline, List<double> loaded, (long Managed, long WorkingSet) idle,
        (long Managed, long WorkingSet) targets, (long Managed, long WorkingSet) full)
    {
        static string Ms(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
        Console.WriteLine();
        Console.WriteLine($"| phase | open streams | deliveries | p50 ms | p99 ms | max ms |");
        Console.WriteLine($"|---|---|---|---|---|---|");
        Console.WriteLine($"| baseline | {options.FanOut:N0} | {baseline.Count:N0} | {Ms(Percentile(baseline, 0.5))} | {Ms(Percentile(baseline, 0.99))} | {Ms(baseline.Max())} |");
        Console.WriteLine($"| full | {options.Clients:N0} | {loaded.Count:N0} | {Ms(Percentile(loaded, 0.5))} | {Ms(Percentile(loaded, 0.99))} | {Ms(loaded.Max())} |");
        Console.WriteLine();
        Console.WriteLine($"p99 ratio full / baseline: {(Percentile(loaded, 0.99) / Percentile(baseline, 0.99)).ToString("0.00", CultureInfo.InvariantCulture)}");
        var perStreamManaged = (full.Managed - idle.Managed) / (double)options.Clients;
        var perStreamRss = (full.WorkingSet - idle.WorkingSet) / (double)options.Clients;
        var idleManaged = (full.Managed - targets.Managed) / (double)(options.Clients - options.FanOut);
        Console.WriteLine($"server memory per open stream: {perStreamManaged / 1024:0.0} KiB managed heap, {perStreamRss / 1024:0.0} KiB working set " +
            $"(idle streams alone: {idleManaged / 1024:0.0} KiB managed); working set {idle.WorkingSet / 1048576} MiB idle, {full.WorkingSet / 1048576} MiB with {options.Clients:N0} streams");
    }

    private async Task<List<double>> RoundAsync(HttpClient control, string round)
    {
        Array.Clear(_received);
        Volatile.Write(ref _count, 0);
        _allReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var number = "BENCH-" + round;
        Volatile.Write(ref _marker, $"\"subject\":\"{number}\"");
        var started = Stopwatch.GetTimestamp();
        using (var published = await control.PostAsync($"/bench/publish?department={TargetDepartment}&number={number}", null))
        {
            published.EnsureSuccessStatusCode();
        }
        if (await Task.WhenAny(_allReceived.Task, Task.Delay(TimeSpan.FromSeconds(30))) != _allReceived.Task)
        {
            Console.WriteLine($"{round}: only {Volatile.Read(ref _count)} of {options.FanOut} streams received the event within 30 s");
        }
        var latencies = _received.Where(t => t != 0).Select(t => Stopwatch.GetElapsedTime(started, t).TotalMilliseconds).ToList();
        Console.WriteLine($"{round}: {latencies.Count} deliveries, p99 {Percentile(latencies, 0.99):0.0} ms");
        await Task.Delay(300);
        return latencies;
    }

    private async Task ConnectAsync(HttpClient http, string[] tokens, int from, int to, List<Task> streams, CancellationToken stop)
    {
        const int Batch = 250;
        for (var start = from; start < to; start += Batch)
        {
            var opened = new List<Task>();
            for (var i = start; i < Math.Min(to, start + Batch); i++)
            {
                var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                streams.Add(ListenAsync(http, tokens[i], i, connected, stop));
                opened.Add(connected.Task);
            }
            await Task.WhenAll(opened);
        }
        Console.WriteLine($"{to} streams open");
    }

    private async Task ListenAsync(HttpClient http, string token, int index, TaskCompletionSource connected, CancellationToken stop)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/notifications/stream");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(stop);
            using var reader = new StreamReader(body, Encoding.UTF8, false, 1024);
            connected.TrySetResult();
            while (await reader.ReadLineAsync(stop) is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal) && line.Contains(Volatile.Read(ref _marker), StringComparison.Ordinal) &&
                    Interlocked.CompareExchange(ref _received[index], Stopwatch.GetTimestamp(), 0) == 0 &&
                    Interlocked.Increment(ref _count) == options.FanOut)
                {
                    _allReceived.TrySetResult();
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
        {
            connected.TrySetException(ex);
        }
    }

    private static async Task WaitForStreamsAsync(HttpClient control, int expected)
    {
        for (var i = 0; i < 600; i++)
        {
            var open = JsonDocument.Parse(await control.GetStringAsync("/bench/streams")).RootElement.GetProperty("open").GetInt32();
            if (open >= expected)
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"the server never held {expected} streams");
    }

    private static async Task<(long Managed, long WorkingSet)> MemoryAsync(HttpClient control)
    {
        var json = JsonDocument.Parse(await control.GetStringAsync("/bench/memory")).RootElement;
        return (json.GetProperty("managed").GetInt64(), json.GetProperty("workingSet").GetInt64());
    }

    // One user per stream: the first FanOut are reviewers of the target department, the rest of 50 other departments.
    private static string[] MintTokens(RSA rsa, int clients, int fanOut)
    {
        var handler = new JsonWebTokenHandler();
        var credentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = "bench" }, SecurityAlgorithms.RsaSha256);
        var tokens = new string[clients];
        Parallel.For(0, clients, i => tokens[i] = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = BenchServer.Issuer,
            Audience = "songjiang-api",
            Expires = DateTime.UtcNow.AddHours(2),
            SigningCredentials = credentials,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = $"bench-user-{i}",
                ["role"] = "reviewer",
                ["department"] = i < fanOut ? TargetDepartment : $"bench-other-{i % 50}",
            },
        }));
        return tokens;
    }

    private static Process StartServer(int port, string keyFile, string folder)
    {
        var self = typeof(FanOutRun).Assembly.Location;
        var host = Environment.ProcessPath!;
        var start = Path.GetFileNameWithoutExtension(host) == "dotnet"
            ? new ProcessStartInfo(host) { ArgumentList = { self } }
            : new ProcessStartInfo(host);
        foreach (var arg in new[] { "server", port.ToString(CultureInfo.InvariantCulture), keyFile, folder })
        {
            start.ArgumentList.Add(arg);
        }
        start.RedirectStandardOutput = true;
        start.UseShellExecute = false;
        var process = Process.Start(start)!;
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (line == "ready")
            {
                _ = process.StandardOutput.ReadToEndAsync();
                return process;
            }
        }
        throw new InvalidOperationException("the bench server exited before it was ready");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }
}
