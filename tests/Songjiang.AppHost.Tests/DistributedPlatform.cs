using System.Collections.Concurrent;
using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;

namespace Songjiang.AppHost.Tests;

/// <summary>
/// One distributed platform for every test of this project, as <c>dotnet run --project deploy/Songjiang.AppHost</c> brings
/// it up with <c>--Platform:Replicas=2</c>: PostgreSQL and RabbitMQ as processes, two processes each of cases and
/// licences, one of every other service and the gateway. Starting it costs minutes on two cores, so it starts once.
/// </summary>
public sealed class DistributedPlatform : IAsyncLifetime
{
    /// <summary>The demo password of every seeded user.</summary>
    public const string DemoPassword = "Songjiang@2026";

    /// <summary>The services that run as two processes.</summary>
    public static readonly string[] Replicated = ["cases", "licenses"];

    /// <summary>Eleven processes starting on a shared two-core machine take minutes, not seconds.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(12);

    private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("sj-apphost-");
    private readonly ConcurrentDictionary<string, ResourceEvent> _resources = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _logs = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _watching = new();
    private DistributedApplication? _app;

    /// <summary>The running app host.</summary>
    public DistributedApplication App => _app ?? throw new InvalidOperationException("The platform has not started.");

    /// <summary>A client of the gateway, as an outside caller.</summary>
    public HttpClient Gateway { get; private set; } = null!;

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        // Created private to this user; PostgreSQL runs as its own account when the tests run as root, and must reach its folder.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_state.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        using var starting = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Songjiang_AppHost>(
            [$"--Platform:StateDirectory={_state.FullName}", "--Platform:Replicas=2"],
            (options, _) => options.DisableDashboard = true,
            starting.Token);
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            // An event a killed process had claimed for publishing is taken over after seconds, not the default two minutes.
            var service = builder.CreateResourceBuilder(project).WithEnvironment("EventBus__Outbox__LockDuration", "00:00:05");
            if (Replicated.Contains(project.Name))
            {
                // Each request in the process's log, so that a test can tell which copy served it.
                service.WithEnvironment("Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics", "Information");
            }
        }

        _app = await builder.BuildAsync(starting.Token);
        _ = WatchResourcesAsync(_watching.Token);
        await _app.StartAsync(starting.Token);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", starting.Token);
        // A copy's health is probed through the orchestrator's proxy, which either copy answers: each must also have started.
        await WaitUntilAsync(() => Replicated.All(name => Replicas(name).Count(r => IsHealthy(r) && HasStarted(r)) == 2),
            StartTimeout, "two started copies of cases and licences");
        Gateway = _app.CreateHttpClient("gateway");
        Gateway.Timeout = TimeSpan.FromMinutes(2);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Gateway?.Dispose();
        if (_app is not null)
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            try
            {
                await _app.StopAsync(stopping.Token);
            }
            catch (OperationCanceledException)
            {
                // Disposing below ends what is left.
            }
            await _app.DisposeAsync();
        }
        await _watching.CancelAsync();
        _watching.Dispose();
        try
        {
            _state.Delete(recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A server may still be closing its files; the folder is in the temporary directory.
        }
    }

    /// <summary>The running copies (replica ids) of a service, as the orchestrator names them.</summary>
    public IReadOnlyList<string> Replicas(string service) =>
        [.. _resources.Values.Where(e => e.Resource.Name == service).Select(e => e.ResourceId).Order(StringComparer.Ordinal)];

    /// <summary>The orchestrator's latest view of one copy.</summary>
    public CustomResourceSnapshot Snapshot(string replica) => _resources[replica].Snapshot;

    /// <summary>Whether the copy runs and answers its readiness check.</summary>
    public bool IsHealthy(string replica) =>
        _resources.TryGetValue(replica, out var e) && e.Snapshot.State?.Text == KnownResourceStates.Running && e.Snapshot.HealthStatus == HealthStatus.Healthy;

    /// <summary>Whether the service in the copy has logged its start (at least once).</summary>
    public bool HasStarted(string replica) => Logs(replica).Any(line => line.Contains("Application started", StringComparison.Ordinal));

    /// <summary>The process the orchestrator started for the copy (for a project, its <c>dotnet run</c> launcher).</summary>
    public int? ProcessId(string replica) =>
        Snapshot(replica).Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value switch
        {
            int pid => pid,
            long pid => (int)pid,
            string text when int.TryParse(text, out var pid) => pid,
            _ => null,
        };

    /// <summary>
    /// Kills the copy's processes with SIGKILL, the launcher and the service it runs, the way the kernel's OOM killer or a
    /// lost machine would end them: no shutdown, no flushing, no acknowledgements.
    /// </summary>
    public void Kill(string replica)
    {
        var pid = ProcessId(replica) ?? throw new InvalidOperationException($"{replica} has no process.");
        using var process = Process.GetProcessById(pid);
        process.Kill(entireProcessTree: true);
        process.WaitForExit(TimeSpan.FromSeconds(30));
    }

    /// <summary>Runs one of the orchestrator's commands (start, stop, restart) on a resource or one copy of it.</summary>
    public async Task CommandAsync(string resourceId, string command)
    {
        var result = await App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resourceId, command);
        Assert.True(result.Success, $"{command} {resourceId}: {result.Message}");
    }

    /// <summary>
    /// How many consumers the broker has on a queue: a copy that is still subscribing again (after its restart or the
    /// broker's) is not one yet, and takes none of the queue's messages.
    /// </summary>
    public async Task<uint> ConsumersAsync(string queue)
    {
        var broker = App.GetEndpoint("rabbitmq", "tcp");
        var factory = new ConnectionFactory { Uri = new Uri($"amqp://guest:guest@127.0.0.1:{broker.Port}/") };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).ConsumerCount;
    }

    /// <summary>The lines a copy has written to its console so far.</summary>
    public IReadOnlyList<string> Logs(string replica) => _logs.TryGetValue(replica, out var lines) ? [.. lines] : [];

    /// <summary>The errors the copies of a service logged (for failure messages): the last few lines at fail or crit level.</summary>
    public string Errors(string service, int lines = 6) => string.Join("\n", Replicas(service).Select(replica =>
        $"{replica}: " + string.Join("\n  ", Logs(replica).Where(IsError).TakeLast(lines).Select(l => l.Length > 600 ? l[..600] : l))));

    // The console logger colours its level names when the output is not redirected to a file.
    private static bool IsError(string line) =>
        line.Contains("fail:", StringComparison.Ordinal) || line.Contains("crit:", StringComparison.Ordinal)
        || line.Contains("fail\u001b", StringComparison.Ordinal) || line.Contains("crit\u001b", StringComparison.Ordinal);

    /// <summary>Polls until the condition holds.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan patience, string what)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {patience} waiting for {what}");
            await Task.Delay(250);
        }
    }

    private async Task WatchResourcesAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var resourceEvent in App.ResourceNotifications.WatchAsync(ct))
            {
                _resources[resourceEvent.ResourceId] = resourceEvent;
                if (Replicated.Contains(resourceEvent.Resource.Name) && _logs.TryAdd(resourceEvent.ResourceId, new ConcurrentQueue<string>()))
                {
                    _ = WatchLogsAsync(resourceEvent.ResourceId, ct);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task WatchLogsAsync(string replica, CancellationToken ct)
    {
        try
        {
            var lines = _logs[replica];
            await foreach (var batch in App.Services.GetRequiredService<ResourceLoggerService>().WatchAsync(replica).WithCancellation(ct))
            {
                foreach (var line in batch)
                {
                    lines.Enqueue(line.Content);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}

/// <summary>The tests that share the one distributed platform run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class DistributedPlatformCollection : ICollectionFixture<DistributedPlatform>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "distributed platform";
}
