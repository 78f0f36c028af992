using Songjiang.Testing;
using System.Net;

namespace Songjiang.EndToEnd.Tests;

/// <summary>A platform started on an existing data folder and the same addresses (a restart).</summary>
public sealed class RestartedPlatform(string dataDirectory, int[] ports) : PlatformFixture(dataDirectory, ownsDataDirectory: false, ports);

public sealed class RestartTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "songjiang-tests", Guid.NewGuid().ToString("N"));
    private readonly int[] _ports = FreePorts.Take(8);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Platform_starts_again_on_the_same_data_and_honours_tokens_issued_before()
    {
        string token;
        string subjectBefore;
        await using (var first = new RestartedPlatform(_dataDirectory, _ports))
        {
            await first.InitializeAsync();
            token = await first.UserTokenAsync("ent-zhisuan");
            using var before = await first.GetAsync("/api/catalog/about", token);
            subjectBefore = (await PlatformFixture.JsonOf(before)).GetProperty("caller").GetProperty("subject").GetString()!;
        }

        await using var second = new RestartedPlatform(_dataDirectory, _ports);
        await second.InitializeAsync();

        // Same signing key from the data folder: the token issued before the restart is still good.
        using var accepted = await second.GetAsync("/api/catalog/about", token);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);

        // Seeding found the accounts and did not create them again.
        var again = await second.UserTokenAsync("ent-zhisuan");
        using var after = await second.GetAsync("/api/catalog/about", again);
        Assert.Equal(subjectBefore, (await PlatformFixture.JsonOf(after)).GetProperty("caller").GetProperty("subject").GetString());
    }
}
