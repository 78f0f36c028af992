using Npgsql;
using Songjiang.LocalHost;
using Songjiang.Testing;

namespace Songjiang.Fuzz.Tests;

/// <summary>Settings both fuzzed platforms share: the fuzzer's own failures must not lock it out.</summary>
internal static class FuzzSettings
{
    public static IEnumerable<KeyValuePair<string, string?>> All =>
    [
        // Thousands of refused token requests from one address are the point here, not an attack to throttle.
        new("Identity:Throttling:Addresses:Failures", "1000000"),
        new("Identity:Throttling:Clients:Failures", "1000000"),
        new("Identity:Throttling:Accounts:Failures", "1000000"),
        new("Gateway:RateLimit:Burst", "1000000"),
        new("Gateway:RateLimit:TokensPerPeriod", "1000000"),
    ];
}

/// <summary>The embedded platform on SQLite, for the fuzzer.</summary>
public sealed class SqliteFuzzPlatform : PlatformFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => FuzzSettings.All;
}

/// <summary>The embedded platform on the test PostgreSQL server, one database per service, for the fuzzer.</summary>
public sealed class PostgresFuzzPlatform : PlatformFixture
{
    private readonly string _prefix = "sj_fuzz_" + Guid.NewGuid().ToString("N")[..8];

    protected override IEnumerable<KeyValuePair<string, string?>> Settings
    {
        get
        {
            foreach (var setting in FuzzSettings.All)
            {
                yield return setting;
            }
            var server = TestServers.Postgres;
            yield return new("Database:Provider", "Postgres");
            foreach (var module in PlatformHost.ServiceModules)
            {
                yield return new($"ConnectionStrings:{module.Name}", $"{server};Database={_prefix}_{module.Name}");
            }
        }
    }

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
        foreach (var module in PlatformHost.ServiceModules)
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_prefix}_{module.Name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
