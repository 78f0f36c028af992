using Songjiang.Testing;
using System.Net;

namespace Songjiang.EndToEnd.Tests;

/// <summary>A platform started on an existing data folder and the same addresses (a restart).</summary>
public sealed class RestartedPlatform(string dataDirectory, int[] ports) : PlatformFixture(dataDirectory, ownsDataDirectory: false, ports);

public sealed class RestartTests(TemporaryDataDirectory data) : IClassFixture<TemporaryDataDirectory>
{
    [Fact]
    public async Task Platform_starts_again_on_the_same_data_and_honours_tokens_issued_before()
    {
        string token;
        string subjectBefore;
        await using (var first = new RestartedPlatform(data.Path, data.Ports))
        {
            await first.InitializeAsync();
            token = await first.UserTokenAsync("ent-zhisuan");
            using var before = await first.GetAsync("/api/catalog/about", token);
            subjectBefore = (await PlatformFixture.JsonOf(before)).GetProperty("caller").GetProperty("subject").GetString()!;
        }

        await using var second = new RestartedPlatform(data.Path, data.Ports);
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
