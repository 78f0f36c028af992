using Npgsql;
using Songjiang.LocalHost;

namespace Songjiang.Testing;

/// <summary>
/// One database per service on the test PostgreSQL server, all named by one prefix: the settings that put an embedded
/// platform on them, and their removal afterwards.
/// </summary>
public static class PostgresDatabases
{
    /// <summary>True when the test script's PostgreSQL server is there.</summary>
    public static bool Available => Environment.GetEnvironmentVariable("SONGJIANG_TEST_POSTGRES") is { Length: > 0 };

    /// <summary>A new prefix, unique to one platform.</summary>
    public static string NewPrefix(string purpose) => $"sj_{purpose}_" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The connection string of one service's database.</summary>
    public static string ConnectionString(string prefix, string service) => $"{TestServers.Postgres};Database={prefix}_{service}";

    /// <summary>PostgreSQL mode and every service's connection string.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Settings(string prefix)
    {
        yield return new("Database:Provider", "Postgres");
        foreach (var module in PlatformHost.ServiceModules)
        {
            yield return new($"ConnectionStrings:{module.Name}", ConnectionString(prefix, module.Name));
        }
    }

    /// <summary>Drops every service's database (when the server is there).</summary>
    public static async Task DropAsync(string prefix)
    {
        if (!Available)
        {
            return;
        }
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection($"{TestServers.Postgres};Database=postgres");
        await connection.OpenAsync();
        foreach (var module in PlatformHost.ServiceModules)
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{prefix}_{module.Name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
