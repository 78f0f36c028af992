using System.Diagnostics;
using System.Text;
using Songjiang.LocalHost;
using Songjiang.Testing;

namespace Songjiang.Exchange.Tests.Federation;

/// <summary>
/// One whole platform started the way its users start it: the embedded host as its own operating-system process
/// (the built <c>Songjiang.LocalHost</c>), with its own data folder and free loopback ports, configured by
/// environment variables.
/// </summary>
public sealed class PlatformProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PlatformProcess(string name, string dataDirectory, Uri gateway, Process process)
    {
        Name = name;
        DataDirectory = dataDirectory;
        GatewayUri = gateway;
        _process = process;
        Gateway = PlatformFixture.ExternalClient(gateway);
        Gateway.Timeout = TimeSpan.FromMinutes(3);
    }

    /// <summary>Which city it serves, for messages.</summary>
    public string Name { get; }

    /// <summary>Its data folder.</summary>
    public string DataDirectory { get; }

    /// <summary>Its gateway.</summary>
    public Uri GatewayUri { get; }

    /// <summary>A client of its gateway.</summary>
    public HttpClient Gateway { get; }

    /// <summary>The ports a platform needs: the gateway and one per service.</summary>
    public static int PortCount => PlatformHost.ServiceModules.Count + 1;

    /// <summary>Starts the process; <see cref="WaitUntilStartedAsync"/> waits for its banner.</summary>
    public static PlatformProcess Start(string name, int[] ports, IReadOnlyDictionary<string, string> settings)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "songjiang-federation", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dataDirectory);
        var gateway = new Uri($"http://127.0.0.1:{ports[0]}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        start.ArgumentList.Add(LocalHostAssembly());
        start.Environment["Platform__GatewayUrl"] = gateway.AbsoluteUri.TrimEnd('/');
        start.Environment["Platform__DataDirectory"] = dataDirectory;
        var i = 1;
        foreach (var module in PlatformHost.ServiceModules)
        {
            start.Environment[$"Platform__Services__{module.Name}"] = $"http://127.0.0.1:{ports[i++]}";
        }
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var platform = new PlatformProcess(name, dataDirectory, gateway, process);
        process.OutputDataReceived += (_, e) => platform.Record(e.Data);
        process.ErrorDataReceived += (_, e) => platform.Record(e.Data);
        process.Exited += (_, _) => platform._started.TrySetException(
            new InvalidOperationException($"The {name} platform exited ({process.ExitCode}) while starting:\n{platform.Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return platform;
    }

    /// <summary>What the process wrote so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The last lines it wrote (for failure messages).</summary>
    public string RecentOutput => Output is { Length: > 6000 } all ? all[^6000..] : Output;

    /// <summary>Waits for the host's banner (every service and the gateway listening).</summary>
    public async Task WaitUntilStartedAsync(TimeSpan timeout)
    {
        try
        {
            await _started.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The {Name} platform did not start within {timeout}:\n{Output}");
        }
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            // Keep the start and the latest lines: enough to explain a failure, bounded in memory.
            if (_output.Length > 200_000)
            {
                _output.Remove(20_000, 100_000);
            }
            _output.AppendLine(line);
        }
        if (line.Contains("platform is running", StringComparison.Ordinal))
        {
            _started.TrySetResult();
        }
    }

    // The embedded host as built beside this test project (artifacts/bin/Songjiang.LocalHost/<configuration>/).
    private static string LocalHostAssembly()
    {
        var own = Path.GetDirectoryName(typeof(PlatformHost).Assembly.Location)!;
        var configuration = new DirectoryInfo(own).Name;
        var artifacts = new DirectoryInfo(own).Parent!.Parent!.FullName;
        var built = Path.Combine(artifacts, "Songjiang.LocalHost", configuration, "Songjiang.LocalHost.dll");
        return File.Exists(built)
            ? built
            : throw new FileNotFoundException($"The embedded host is not built at {built}: build deploy/Songjiang.LocalHost first.");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Gateway.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        }
        _process.Dispose();
        for (var attempt = 0; attempt < 5 && Directory.Exists(DataDirectory); attempt++)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                await Task.Delay(500);
            }
        }
    }
}
