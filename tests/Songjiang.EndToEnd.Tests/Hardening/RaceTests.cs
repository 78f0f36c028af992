using Songjiang.Testing;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Songjiang.EndToEnd.Tests.Hardening;

/// <summary>Concurrent callers get the answer a single caller would: one application per key, one application per upload.</summary>
public abstract class RaceTests(PlatformFixture platform)
{
    private readonly CaseDriver _cases = new(platform);

    /// <summary>Skips where this fixture's database is not available.</summary>
    protected abstract void RequireServer();

    private async Task<object> DeregistrationAsync(string reason = "经营调整") => new
    {
        matterCode = "SJ-RS-002",
        form = new { uscc = CaseDriver.Zhisuan, reason, arrearsSettled = true },
        materials = await _cases.UploadAllAsync("ent-zhisuan", "application", "settlement"),
    };

    [Fact]
    public async Task Concurrent_submissions_with_one_idempotency_key_all_get_the_one_application()
    {
        RequireServer();
        var request = await DeregistrationAsync();
        var key = Guid.NewGuid().ToString("N");

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            _cases.SendAsync("ent-zhisuan", HttpMethod.Post, "/api/cases/applications", JsonContent.Create(request), key)));

        var numbers = new List<string>();
        foreach (var response in responses)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
            numbers.Add(JsonDocument.Parse(text).RootElement.GetProperty("summary").GetProperty("number").GetString()!);
            response.Dispose();
        }
        Assert.Single(numbers.Distinct());
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_a_409()
    {
        RequireServer();
        var key = Guid.NewGuid().ToString("N");
        var first = await DeregistrationAsync("经营调整");
        await _cases.SubmitAsync("ent-zhisuan", first, key);

        var problem = await _cases.ExpectAsync(HttpStatusCode.Conflict, "ent-zhisuan", HttpMethod.Post, "/api/cases/applications",
            await DeregistrationAsync("股东决议解散"), key);
        Assert.Contains(key, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_upload_is_attached_to_only_one_of_two_concurrent_applications()
    {
        RequireServer();
        var request = await DeregistrationAsync();
        var before = await CountAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            _cases.SendAsync("ent-zhisuan", HttpMethod.Post, "/api/cases/applications", JsonContent.Create(request), $"{Guid.NewGuid():N}-{i}")));

        var created = 0;
        foreach (var response in responses)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.BadRequest or HttpStatusCode.Conflict,
                $"{(int)response.StatusCode}: {text}");
            created += response.StatusCode == HttpStatusCode.Created ? 1 : 0;
            response.Dispose();
        }
        Assert.Equal(1, created);
        Assert.Equal(before + 1, await CountAsync());
    }

    private async Task<int> CountAsync() =>
        (await _cases.ExpectAsync(HttpStatusCode.OK, "ent-zhisuan", HttpMethod.Get, "/api/cases/applications?matter=SJ-RS-002&pageSize=1")).GetProperty("total").GetInt32();
}

[Collection(HardeningOnSqlite.Name)]
public sealed class RaceOnSqliteTests(PlatformFixture platform) : RaceTests(platform)
{
    protected override void RequireServer()
    {
    }
}

[Collection(HardeningOnPostgres.Name)]
public sealed class RaceOnPostgresTests(PostgresPlatformFixture platform) : RaceTests(platform)
{
    protected override void RequireServer() => _ = TestServers.Postgres;
}
