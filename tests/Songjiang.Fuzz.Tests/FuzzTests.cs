using Songjiang.Testing;

namespace Songjiang.Fuzz.Tests;

/// <summary>
/// Every operation of every OpenAPI document, through the gateway, answers odd input with a 4xx (or a success), never
/// a 5xx, and a refused write leaves every list of its service as it was; on SQLite and on PostgreSQL.
/// </summary>
public abstract class FuzzTests(PlatformFixture platform)
{
    protected virtual void RequireServer()
    {
    }

    [Fact]
    public async Task Every_operation_answers_odd_input_without_a_5xx_or_a_partial_write()
    {
        RequireServer();
        var fuzzer = new OpenApiFuzzer(platform, TestContext.Current.SendDiagnosticMessage);
        var started = DateTime.UtcNow;

        await fuzzer.RunAsync(TestContext.Current.CancellationToken);

        var slowest = string.Join(", ", fuzzer.Timings.OrderByDescending(t => t.Took).Take(5).Select(t => $"{t.Operation} {t.Took.TotalSeconds:F1} s"));
        var summary = $"{GetType().Name}: {fuzzer.Requests} requests ({fuzzer.PartnerRequests} signed by a partner city) over {fuzzer.Timings.Count} operations in {(DateTime.UtcNow - started).TotalSeconds:F0} s, " +
            $"{fuzzer.Failures.Count} failures; slowest: {slowest}";
        TestContext.Current.SendDiagnosticMessage(summary);
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        Console.WriteLine(summary);
        Assert.True(fuzzer.Failures.Count == 0, summary + "\n" + string.Join('\n', fuzzer.Failures.Take(200)));
    }

    [Fact]
    public async Task Every_list_shows_each_item_on_one_page_however_it_is_paged()
    {
        RequireServer();
        var walker = new OpenApiFuzzer(platform, TestContext.Current.SendDiagnosticMessage);

        await walker.PageThroughListsAsync(TestContext.Current.CancellationToken);

        Assert.True(walker.Failures.Count == 0, string.Join('\n', walker.Failures));
    }
}

public sealed class FuzzOnSqliteTests(SqliteFuzzPlatform platform) : FuzzTests(platform), IClassFixture<SqliteFuzzPlatform>;

public sealed class FuzzOnPostgresTests(PostgresFuzzPlatform platform) : FuzzTests(platform), IClassFixture<PostgresFuzzPlatform>
{
    protected override void RequireServer() => _ = TestServers.Postgres;
}
