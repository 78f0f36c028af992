namespace Songjiang.EventBus.Tests.Support;

/// <summary>The real servers the test script starts; tests needing one skip when its variable is absent.</summary>
public static class TestServers
{
    public static string? Postgres => Environment.GetEnvironmentVariable("SONGJIANG_TEST_POSTGRES");

    public static string? RabbitMq => Environment.GetEnvironmentVariable("SONGJIANG_TEST_RABBITMQ");

    public static string RequirePostgres() => Require(Postgres, "SONGJIANG_TEST_POSTGRES");

    public static string RequireRabbitMq() => Require(RabbitMq, "SONGJIANG_TEST_RABBITMQ");

    private static string Require(string? value, string variable)
    {
        if (value is null)
        {
            Assert.Skip($"{variable} is not set; start the servers with scripts/test-services.sh.");
        }

        return value;
    }
}
