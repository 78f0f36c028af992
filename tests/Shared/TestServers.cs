namespace Songjiang.Testing;

/// <summary>
/// The real PostgreSQL and RabbitMQ servers the test script starts on loopback, found through environment
/// variables. A test that needs one is skipped when run outside the script.
/// </summary>
public static class TestServers
{
    /// <summary>Npgsql connection string of a superuser on the test PostgreSQL server.</summary>
    public static string Postgres =>
        Environment.GetEnvironmentVariable("SONGJIANG_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : throw Skip("SONGJIANG_TEST_POSTGRES is not set: run the suite with scripts/test.sh to get a PostgreSQL server.");

    /// <summary>AMQP URI of the test RabbitMQ broker.</summary>
    public static string RabbitMq =>
        Environment.GetEnvironmentVariable("SONGJIANG_TEST_RABBITMQ") is { Length: > 0 } value
            ? value
            : throw Skip("SONGJIANG_TEST_RABBITMQ is not set: run the suite with scripts/test.sh to get a RabbitMQ broker.");

    private static Exception Skip(string reason)
    {
        Assert.Skip(reason);
        return new InvalidOperationException(reason);
    }
}
