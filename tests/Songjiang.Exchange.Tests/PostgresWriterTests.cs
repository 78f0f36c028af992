using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Npgsql;
using Songjiang.Exchange.Api.Domain;
using Songjiang.Exchange.Api.MessageLog;
using Songjiang.Exchange.Tests.Support;
using Songjiang.Testing;

namespace Songjiang.Exchange.Tests;

/// <summary>The exchange platform on the test PostgreSQL server, one database per service.</summary>
public sealed class PostgresExchangePlatform : ExchangePlatform
{
    private readonly string _prefix = PostgresDatabases.NewPrefix("exchange");

    /// <summary>The exchange's own database.</summary>
    public string ExchangeDatabase => PostgresDatabases.ConnectionString(_prefix, "exchange");

    /// <inheritdoc />
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => base.Settings.Concat(PostgresDatabases.Settings(_prefix));

    /// <inheritdoc />
    public override ValueTask InitializeAsync() => PostgresDatabases.Available ? base.InitializeAsync() : ValueTask.CompletedTask;

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await PostgresDatabases.DropAsync(_prefix);
    }
}

/// <summary>
/// On PostgreSQL, nonces and message-log records go through the exchange's one group-commit writer as multi-row
/// inserts: concurrent calls share commits and still make one intact chain, a replay is refused, and a record another
/// replica appended meanwhile is chained onto rather than overwritten.
/// </summary>
public sealed class PostgresWriterTests(PostgresExchangePlatform platform) : IClassFixture<PostgresExchangePlatform>
{
    private const string Matters = "/api/partner/v1/matters";

    [Fact]
    public async Task Concurrent_signed_calls_make_one_intact_chain_and_a_replay_is_refused()
    {
        _ = TestServers.Postgres;
        var partner = platform.Partner("330400");
        var requests = Enumerable.Range(0, 32).Select(_ => partner.Prepare(HttpMethod.Get, Matters)).ToList();

        var responses = await Task.WhenAll(requests.Select(r => partner.SendAsync(r)));
        using var replay = await partner.SendAsync(requests[0]);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Equal("replayed-nonce", (await PartnerClient.ReadAsync(replay)).GetProperty("code").GetString());
        var verification = await VerifyAsync();
        Assert.True(verification.GetProperty("intact").GetBoolean(), verification.ToString());
        // One record per call, none for the replay; the exchange's own calls to partner cities may be logged meanwhile.
        await using var connection = new NpgsqlConnection(platform.ExchangeDatabase);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var count = new NpgsqlCommand("""SELECT count(*) FROM message_log WHERE "Nonce" = ANY($1)""", connection);
        count.Parameters.Add(new NpgsqlParameter { Value = requests.Select(r => r.Nonce).ToArray() });
        Assert.Equal(32L, (long)(await count.ExecuteScalarAsync(TestContext.Current.CancellationToken))!);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task A_record_another_replica_appended_meanwhile_is_chained_onto_not_overwritten()
    {
        _ = TestServers.Postgres;
        var partner = platform.Partner("320500");
        using (var first = await partner.SendAsync(HttpMethod.Get, Matters))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        // Another replica of the exchange appends the next record, behind this one's back.
        await using var connection = new NpgsqlConnection(platform.ExchangeDatabase);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        var (sequence, hash) = await HeadAsync(connection);
        var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var nonce = "other-replica-" + Guid.NewGuid().ToString("N");
        MessageRecord Theirs(string recordHash) => new()
        {
            Sequence = sequence + 1, AtUnixMs = at, Direction = "in", City = "320500", Method = "GET", Target = Matters, Nonce = nonce,
            RequestSha256 = new string('a', 64), Status = 200, ResponseSha256 = new string('b', 64), PreviousHash = hash, Hash = recordHash,
        };
        var theirs = Theirs(MessageChain.HashOf(Theirs("")));
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO message_log ("Sequence", "AtUnixMs", "Direction", "City", "Method", "Target", "Nonce", "RequestSha256", "Status", "ResponseSha256", "PreviousHash", "Hash")
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            """, connection))
        {
            foreach (var value in (object[])[theirs.Sequence, theirs.AtUnixMs, theirs.Direction, theirs.City, theirs.Method, theirs.Target,
                theirs.Nonce!, theirs.RequestSha256, theirs.Status, theirs.ResponseSha256, theirs.PreviousHash, theirs.Hash])
            {
                insert.Parameters.Add(new NpgsqlParameter { Value = value });
            }
            await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var signed = partner.Prepare(HttpMethod.Get, Matters);
        using var second = await partner.SendAsync(signed);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        await using (var query = new NpgsqlCommand("""SELECT "Sequence", "Hash" FROM message_log WHERE "Nonce" = ANY($1) ORDER BY "Sequence" """, connection))
        {
            query.Parameters.Add(new NpgsqlParameter { Value = new[] { nonce, signed.Nonce } });
            await using var reader = await query.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken));
            Assert.Equal((sequence + 1, theirs.Hash), (reader.GetInt64(0), reader.GetString(1)));
            Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken));
            Assert.True(reader.GetInt64(0) > sequence + 1, "the call was logged after the other replica's record");
        }
        var verification = await VerifyAsync();
        Assert.True(verification.GetProperty("intact").GetBoolean(), verification.ToString());
    }

    private static async Task<(long Sequence, string Hash)> HeadAsync(NpgsqlConnection connection)
    {
        await using var query = new NpgsqlCommand("""SELECT "Sequence", "Hash" FROM message_log ORDER BY "Sequence" DESC LIMIT 1""", connection);
        await using var reader = await query.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken));
        return (reader.GetInt64(0), reader.GetString(1));
    }

    private async Task<JsonElement> VerifyAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/exchange/admin/log/verify");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await platform.UserTokenAsync("admin"));
        using var response = await platform.Gateway.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
