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
        using var health = await platform.Gateway.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        var token = await platform.UserTokenAsync("tax-approver");
        using var response = await platform.GetAsync("/api/licenses/about", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await using var connection = new NpgsqlConnection($"{TestServers.Postgres};Database={platform.Databases[0]}");
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM user_accounts", connection);
        Assert.Equal(12L, (long)(await count.ExecuteScalarAsync())!);
    }
}
