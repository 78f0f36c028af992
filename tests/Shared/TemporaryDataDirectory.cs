using Songjiang.LocalHost;

namespace Songjiang.Testing;

/// <summary>A fresh data folder (and loopback ports) for platforms a test starts and stops itself; deleted afterwards.</summary>
public sealed class TemporaryDataDirectory : IAsyncLifetime
{
    /// <summary>The folder; created by the platform when it starts.</summary>
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "songjiang-tests", Guid.NewGuid().ToString("N"));

    /// <summary>The ports every platform started on this folder uses, so that a restart has the same addresses.</summary>
    public int[] Ports { get; } = FreePorts.Take(Songjiang.LocalHost.PlatformHost.ServiceModules.Count + 1);

    /// <inheritdoc />
    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
        return ValueTask.CompletedTask;
    }
}
