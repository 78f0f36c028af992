using Npgsql;
using Songjiang.Persistence;

namespace Songjiang.ServiceDefaults.Tests;

public sealed class StatementPreparationTests
{
    [Fact]
    public void A_connection_string_without_the_setting_prepares_repeated_statements()
    {
        var result = new NpgsqlConnectionStringBuilder(
            PersistenceExtensions.WithStatementPreparation("Host=db;Database=cases;Username=cases;Password=secret"));

        Assert.Equal(PersistenceExtensions.DefaultMaxAutoPrepare, result.MaxAutoPrepare);
        Assert.Equal("cases", result.Database);
        Assert.Equal("secret", result.Password);
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;MaxAutoPrepare=10", 10)]
    [InlineData("Host=db;max auto prepare=200", 200)]
    public void An_operator_setting_is_kept(string connectionString, int expected) =>
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(PersistenceExtensions.WithStatementPreparation(connectionString)).MaxAutoPrepare);
}
