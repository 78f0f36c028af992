using Songjiang.Testing;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Songjiang.EndToEnd.Tests.Crash;

/// <summary>
/// The embedded platform as a real operating-system process, killed with SIGKILL while enterprises submit applications
/// and started again on the same data folder: every submission the platform acknowledged reaches its consumers, once.
/// </summary>
public sealed class CrashRecoveryTests : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "songjiang-tests", "crash-" + Guid.NewGuid().ToString("N"));
    private readonly int[] _ports = FreePorts.Take(Songjiang.LocalHost.PlatformHost.ServiceModules.Count + 1);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();
    private Process? _platform;
    private int _starts;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [Fact]
    public async Task Every_acknowledged_submission_reaches_the_enterprise_register_once_after_a_kill_9()
    {
        var ct = TestContext.Current.CancellationToken;
        await StartAsync(ct);
        using var gateway = PlatformFixture.ExternalClient(Gateway);
        var enterprise = await TokenAsync(gateway, "ent-zhisuan");

        // Four enterprises' worth of clients submit without pause; the platform dies under them.
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var stream = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var submitters = Enumerable.Range(0, 4).Select(_ => SubmitUntilFailureAsync(gateway, enterprise, acknowledged, stream.Token)).ToArray();
        await WaitUntilAsync(() => acknowledged.Count >= 12, TimeSpan.FromSeconds(90), "twelve acknowledged submissions");
        _platform!.Kill(entireProcessTree: true);
        await _platform.WaitForExitAsync(ct);
        await stream.CancelAsync();
        await Task.WhenAll(submitters);

        await StartAsync(ct);
        var admin = await TokenAsync(gateway, "admin");
        var numbers = acknowledged.ToHashSet(StringComparer.Ordinal);
        Dictionary<string, int> tracked = [];
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            tracked = await TrackedAsync(gateway, admin);
            if (numbers.All(tracked.ContainsKey))
            {
                break;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"after the restart the enterprise register lacks {string.Join(", ", numbers.Where(n => !tracked.ContainsKey(n)))} " +
                    $"of {numbers.Count} acknowledged applications; it tracks {tracked.Count}; {await OutboxStateAsync()}");
            }
            await Task.Delay(500, ct);
        }

        // Exactly once in effect: each application is tracked once, and every consumer's inbox holds each event once.
        Assert.All(numbers, n => Assert.Equal(1, tracked[n]));
        TestContext.Current.SendDiagnosticMessage($"{numbers.Count} acknowledged submissions before the kill, all tracked once after the restart");
    }

    /// <summary>The cases service's outbox as the restarted process left it, for the failure message.</summary>
    private async Task<string> OutboxStateAsync()
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_data, "cases.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT topic, sent_at IS NULL, COUNT(*), MAX(attempts), MAX(last_error) FROM eventbus_outbox GROUP BY 1, 2";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add($"{reader.GetString(0)} {(reader.GetBoolean(1) ? "pending" : "sent")} {reader.GetInt64(2)} attempts<={reader.GetValue(3)} {reader.GetValue(4)}");
        }
        return "cases outbox: " + string.Join("; ", rows);
    }

    private Uri Gateway => new($"http://127.0.0.1:{_ports[0]}");

    private static async Task SubmitUntilFailureAsync(HttpClient gateway, string token, System.Collections.Concurrent.ConcurrentBag<string> acknowledged, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var materials = new Dictionary<string, Guid>
                {
                    ["application"] = await UploadAsync(gateway, token, ct),
                    ["settlement"] = await UploadAsync(gateway, token, ct),
                };
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases/applications")
                {
                    Content = JsonContent.Create(new
                    {
                        matterCode = "SJ-RS-002",
                        form = new { uscc = CaseDriver.Zhisuan, reason = "经营调整", arrearsSettled = true },
                        materials,
                    }),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await gateway.SendAsync(request, ct);
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    Assert.Fail($"submission refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
                }

                var view = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
                acknowledged.Add(view.GetProperty("summary").GetProperty("number").GetString()!);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            // The platform died (or the stream was stopped): whatever was not acknowledged may be lost, nothing else.
        }
    }

    private static async Task<Guid> UploadAsync(HttpClient gateway, string token, CancellationToken ct)
    {
        var file = new ByteArrayContent(CaseDriver.Pdf);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases/uploads")
        {
            Content = new MultipartFormDataContent { { file, "file", "material.pdf" } },
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await gateway.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
    }

    private static async Task<Dictionary<string, int>> TrackedAsync(HttpClient gateway, string admin)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var page = 1; ; page++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/enterprises/managed/applications?uscc={CaseDriver.Zhisuan}&page={page}&pageSize=100");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
            using var response = await gateway.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, body);
            var items = JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray().ToList();
            foreach (var item in items)
            {
                var number = item.GetProperty("number").GetString()!;
                counts[number] = counts.GetValueOrDefault(number) + 1;
            }

            if (items.Count < 100)
            {
                return counts;
            }
        }
    }

    private static async Task<string> TokenAsync(HttpClient gateway, string user)
    {
        using var response = await PlatformFixture.RequestTokenAsync(gateway,
            ("grant_type", "password"), ("client_id", "songjiang-cli"),
            ("username", user), ("password", PlatformFixture.DemoPassword), ("scope", "openid profile roles api"));
        return await PlatformFixture.AccessTokenOf(response);
    }

    /// <summary>Starts the embedded host (the program an operator runs) on this test's data folder and ports.</summary>
    private async Task StartAsync(CancellationToken ct)
    {
        var host = LocalHostProgram();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(host)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(host);
        var settings = new Dictionary<string, string>
        {
            ["Platform:GatewayUrl"] = $"http://127.0.0.1:{_ports[0]}",
            ["Platform:DataDirectory"] = _data,
            // A claim a killed process held is taken over after this, rather than after the default two minutes.
            ["EventBus:Outbox:LockDuration"] = "00:00:05",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var i = 1;
        foreach (var module in Songjiang.LocalHost.PlatformHost.ServiceModules)
        {
            settings[$"Platform:Services:{module.Name}"] = $"http://127.0.0.1:{_ports[i++]}";
        }

        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        _platform = Process.Start(start)!;
        _platform.OutputDataReceived += (_, e) => Remember(e.Data);
        _platform.ErrorDataReceived += (_, e) => Remember(e.Data);
        _platform.BeginOutputReadLine();
        _platform.BeginErrorReadLine();

        using var probe = PlatformFixture.ExternalClient(Gateway);
        _starts++;
        var deadline = DateTime.UtcNow.AddSeconds(240);
        while (!await AnswersAsync(probe))
        {
            if (_platform.HasExited || DateTime.UtcNow > deadline)
            {
                Assert.Fail($"start {_starts}: the platform {(_platform.HasExited ? $"exited with {_platform.ExitCode}" : "does not answer")}; its last output:\n{string.Join('\n', _output)}");
            }
            await Task.Delay(500, ct);
        }
    }

    private static async Task<bool> AnswersAsync(HttpClient probe)
    {
        try
        {
            using var token = await PlatformFixture.RequestTokenAsync(probe,
                ("grant_type", "password"), ("client_id", "songjiang-cli"),
                ("username", "admin"), ("password", PlatformFixture.DemoPassword), ("scope", "api"));
            return token.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
        while (_output.Count > 40)
        {
            _output.TryDequeue(out _);
        }
    }

    private async Task StopAsync()
    {
        if (_platform is { HasExited: false })
        {
            _platform.Kill(entireProcessTree: true);
            await _platform.WaitForExitAsync();
        }

        _platform?.Dispose();
        _platform = null;
    }

    /// <summary>The embedded host's program, built beside this test project.</summary>
    private static string LocalHostProgram()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
        var own = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "Songjiang.LocalHost", configuration, "Songjiang.LocalHost.dll"));
        return File.Exists(own) ? own : Path.Combine(AppContext.BaseDirectory, "Songjiang.LocalHost.dll");
    }

    private static Task WaitUntilAsync(Func<bool> condition, TimeSpan patience, string what) =>
        WaitUntilAsync(() => Task.FromResult(condition()), patience, what);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan patience, string what)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(200);
        }
    }
}
