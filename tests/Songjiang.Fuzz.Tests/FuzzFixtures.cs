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
    private readonly string _prefix = PostgresDatabases.NewPrefix("fuzz");

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => FuzzSettings.All.Concat(PostgresDatabases.Settings(_prefix));

    public override ValueTask InitializeAsync() => PostgresDatabases.Available ? base.InitializeAsync() : ValueTask.CompletedTask;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await PostgresDatabases.DropAsync(_prefix);
    }
}
