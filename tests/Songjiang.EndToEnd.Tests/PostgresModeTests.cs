using Npgsql;
using Songjiang.LocalHost;
using Songjiang.Testing;
using System.Net;

namespace Songjiang.EndToEnd.Tests;

/// <summary>
/// The distributed configuration of persistence: every service on the real PostgreSQL server, one database each,
/// chosen by configuration alone.
/// </summary>
public sealed class PostgresPlatformFixture : PlatformFixture
{
    private readonly string _prefix = "sj_e2e_" + Guid.NewGuid().ToString("N")[..8];

    public IReadOnlyList<string> Databases => [.. PlatformHost.ServiceModules.Select(m => $"{_prefix}_{m.Name}")];

    protected override IEnumerable<KeyValuePair<string, string?>> Settings
    {
        get
        {
            var server = TestServers.Postgres;
            yield return new("Database:Provider", "Postgres");
            foreach (var module in PlatformHost.ServiceModules)
            {
                yield return new($"ConnectionStrings:{module.Name}", $"{server};Database={_prefix}_{module.Name}");
            }
        }
    }

    /// <summary>Starts only where the test script provides a server; the test itself then reports the skip.</summary>
    public override ValueTask InitializeAsync() =>
        Environment.GetEnvironmentVariable("SONGJIANG_TEST_POSTGRES") is { Length: > 0 } ? base.InitializeAsync() : ValueTask.CompletedTask;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Environment.GetEnvironmentVariable("SONGJIANG_TEST_POSTGRES") is not { Length: > 0 } server)
        {
            return;
        }
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection($"{server};Database=postgres");
        await connection.OpenAsync();
        foreach (var database in Databases)
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}

public sealed class PostgresModeTests(PostgresPlatformFixture platform) : IClassFixture<PostgresPlatformFixture>
{
    [Fact]
    public async Task Every_service_runs_on_its_own_postgres_database_and_tokens_work()
    {
        _ = TestServers.Postgres;
        // Every service's checks reach its own database; on a busy machine the first rounds may still time out.
        var healthy = HttpStatusCode.ServiceUnavailable;
        var report = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(60); healthy != HttpStatusCode.OK && DateTime.UtcNow < deadline;)
        {
            using var health = await platform.Gateway.GetAsync("/health");
            (healthy, report) = (health.StatusCode, await health.Content.ReadAsStringAsync());
            if (healthy != HttpStatusCode.OK)
            {
                await Task.Delay(1000);
            }
        }
        Assert.True(healthy == HttpStatusCode.OK, report);

        var token = await platform.UserTokenAsync("tax-approver");
        using var response = await platform.GetAsync("/api/licenses/about", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // Queries that lean on provider-specific translation: JSON collections, owned types, dates.
        using var matters = await platform.Gateway.GetAsync("/api/catalog/matters/?mode=Commitment&pageSize=100");
        Assert.Equal(HttpStatusCode.OK, matters.StatusCode);
        Assert.True((await PlatformFixture.JsonOf(matters)).GetProperty("total").GetInt32() > 0);
        using var crossCity = await platform.Gateway.GetAsync("/api/catalog/matters/?city=330400");
        Assert.Equal(HttpStatusCode.OK, crossCity.StatusCode);
        using var bundle = await platform.Gateway.GetAsync("/api/catalog/bundles/YJS-QYKB");
        Assert.Equal(HttpStatusCode.OK, bundle.StatusCode);
        using var profile = await platform.GetAsync("/api/enterprises/me", await platform.UserTokenAsync("ent-zhisuan"));
        Assert.Equal(2, (await PlatformFixture.JsonOf(profile)).GetProperty("qualifications").GetArrayLength());
        using var timeline = await platform.GetAsync("/api/enterprises/91310117MA1J3GKL0Q/timeline", token);
        Assert.Equal(HttpStatusCode.OK, timeline.StatusCode);

        await using var connection = new NpgsqlConnection($"{TestServers.Postgres};Database={platform.Databases[0]}");
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM user_accounts", connection);
        // As many accounts as the demo seed lists, each once.
        var seeded = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(
            Path.Combine(AppContext.BaseDirectory, "Seed", "demo-accounts.json"))).RootElement.GetProperty("users").GetArrayLength();
        Assert.Equal((long)seeded, (long)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_case_runs_from_submission_to_completion_on_postgres()
    {
        _ = TestServers.Postgres;
        var cases = new CaseDriver(platform);
        var view = await cases.SubmitAsync("ent-g60bio", new
        {
            matterCode = "SJ-RS-002",
            form = new { uscc = CaseDriver.G60Bio, reason = "经营调整", arrearsSettled = true },
            materials = await cases.UploadAllAsync("ent-g60bio", "application", "settlement"),
        }, idempotencyKey: "pg-flow-1");
        var number = view.GetProperty("summary").GetProperty("number").GetString()!;
        await cases.ActAsync("hr-clerk", number, "correct", "请补正", ["settlement"]);
        Assert.True((await cases.ApplicationAsync("ent-g60bio", number)).GetProperty("summary").GetProperty("clockPaused").GetBoolean());
        var file = await cases.UploadAsync("ent-g60bio");
        await cases.ExpectAsync(HttpStatusCode.OK, "ent-g60bio", HttpMethod.Post, $"/api/cases/applications/{number}/resubmit",
            new { materials = new Dictionary<string, Guid> { ["settlement"] = file } });
        await cases.ActAsync("hr-clerk", number, "accept");
        await cases.ActAsync("hr-reviewer", number, "approve", "同意");

        var done = await cases.ApplicationAsync("ent-g60bio", number);
        Assert.Equal("approved", done.GetProperty("summary").GetProperty("outcome").GetString());
        var metrics = await cases.ExpectAsync(HttpStatusCode.OK, "hr-approver", HttpMethod.Get, "/api/cases/metrics");
        Assert.Equal(1, metrics.GetProperty("completed").GetInt32());
        var timeline = await cases.ExpectAsync(HttpStatusCode.OK, "ent-g60bio", HttpMethod.Get, $"/api/cases/applications/{number}/timeline");
        Assert.Contains(timeline.EnumerateArray(), e => e.GetProperty("event").GetString() == "clock-resumed");
        var overdue = await cases.ExpectAsync(HttpStatusCode.OK, "hr-reviewer", HttpMethod.Get, "/api/cases/tasks?status=all&overdue=true&dueSoon=true&matter=SJ-RS-002");
        Assert.Equal(0, overdue.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task The_policy_radar_searches_and_matches_on_postgres()
    {
        _ = TestServers.Postgres;
        var cases = new CaseDriver(platform);
        var search = await cases.ExpectAsync(HttpStatusCode.OK, "ent-zhisuan", HttpMethod.Get, $"/api/policyradar/search?q={Uri.EscapeDataString("研发")}");
        Assert.True(search.GetProperty("total").GetInt32() > 0);
        Assert.True(search.GetProperty("facets").GetProperty("level").GetArrayLength() > 0);

        // The radar's read model fills from the enterprise service's feed; the demo enterprise is matched on it.
        var matches = await CaseDriver.EventuallyAsync(
            () => cases.ExpectAsync(HttpStatusCode.OK, "ent-zhisuan", HttpMethod.Get, "/api/policyradar/enterprises/me/matches?nearMisses=true"),
            page => page.GetProperty("eligibleCount").GetInt32() + page.GetProperty("nearMisses").GetArrayLength() > 0,
            "matches or near misses for the demo enterprise");
        Assert.Equal(CaseDriver.Zhisuan, matches.GetProperty("uscc").GetString());
    }
}
