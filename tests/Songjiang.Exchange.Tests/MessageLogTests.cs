using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Songjiang.Exchange.Tests.Support;

namespace Songjiang.Exchange.Tests;

/// <summary>The hash-chained message log: what it records, its filters and figures, and that tampering is found.</summary>
[Collection(ExchangeCollection.Name)]
public sealed class MessageLogTests(ExchangePlatform platform)
{
    private async Task<JsonElement> AdminGetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await platform.UserTokenAsync("admin"));
        using var response = await platform.Gateway.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<JsonElement> AdminPostAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await platform.UserTokenAsync("admin"));
        using var response = await platform.Gateway.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task LogSomeCallsAsync()
    {
        var huzhou = platform.Partner("330500");
        for (var i = 0; i < 3; i++)
        {
            using var response = await huzhou.SendAsync(HttpMethod.Get, "/api/partner/v1/matters");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Every_accepted_call_is_logged_with_its_signature_headers_body_hash_status_and_chain_hash()
    {
        var huzhou = platform.Partner("330500");
        var signed = huzhou.Prepare(HttpMethod.Get, "/api/partner/v1/matters?page=1");
        using (var response = await huzhou.SendAsync(signed))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var page = await AdminGetAsync("/api/exchange/admin/log?city=330500&direction=in&pageSize=100");

        var record = page.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("nonce").GetString() == signed.Nonce);
        Assert.Equal("GET", record.GetProperty("method").GetString());
        Assert.Equal("/api/partner/v1/matters?page=1", record.GetProperty("target").GetString());
        Assert.Equal(signed.Signature, record.GetProperty("signature").GetString());
        Assert.Equal(signed.Timestamp, record.GetProperty("timestamp").GetString());
        Assert.Equal("demo-1", record.GetProperty("keyId").GetString());
        Assert.Equal(200, record.GetProperty("status").GetInt32());
        Assert.Equal(64, record.GetProperty("hash").GetString()!.Length);
        Assert.EndsWith("+08:00", record.GetProperty("at").GetString(), StringComparison.Ordinal);
        Assert.All(page.GetProperty("items").EnumerateArray(), r => Assert.Equal("330500", r.GetProperty("city").GetString()));
    }

    [Fact]
    public async Task The_log_filters_by_day_and_refuses_a_malformed_day()
    {
        await LogSomeCallsAsync();
        var today = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var todays = await AdminGetAsync($"/api/exchange/admin/log?from={today}&to={today}");
        var yesterday = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var before = await AdminGetAsync($"/api/exchange/admin/log?to={yesterday}");

        Assert.True(todays.GetProperty("total").GetInt32() >= 3);
        Assert.Equal(0, before.GetProperty("total").GetInt32());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/exchange/admin/log?from=2026-13-45");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await platform.UserTokenAsync("admin"));
        using var bad = await platform.Gateway.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task The_metrics_give_volumes_by_city_direction_and_outcome()
    {
        await LogSomeCallsAsync();

        var metrics = await AdminGetAsync("/api/exchange/metrics");

        var line = metrics.GetProperty("messages").EnumerateArray()
            .Single(l => l.GetProperty("city").GetString() == "330500" && l.GetProperty("direction").GetString() == "in" && l.GetProperty("outcome").GetString() == "success");
        Assert.True(line.GetProperty("count").GetInt32() >= 3);
    }

    [Fact]
    public async Task An_intact_chain_with_a_sealed_head_verifies()
    {
        await LogSomeCallsAsync();
        var seal = await AdminPostAsync("/api/exchange/admin/log/seals");

        var verification = await AdminGetAsync("/api/exchange/admin/log/verify");

        Assert.True(verification.GetProperty("intact").GetBoolean(), verification.ToString());
        Assert.True(verification.GetProperty("sealsChecked").GetInt32() >= 1);
        Assert.StartsWith("sm2-", seal.GetProperty("keyId").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("change")]
    [InlineData("delete")]
    [InlineData("reorder")]
    [InlineData("rehash")]
    public async Task Tampering_with_a_stored_record_is_reported_at_that_record(string tampering)
    {
        await LogSomeCallsAsync();
        var target = (await AdminGetAsync("/api/exchange/admin/log?city=330500&pageSize=3")).GetProperty("items")[2].GetProperty("sequence").GetInt64();

        using var connection = platform.OpenDatabase();
        var originals = Snapshot(connection, target, target + 1);
        try
        {
            switch (tampering)
            {
                case "change":
                    Execute(connection, "UPDATE message_log SET Status = 500 WHERE Sequence = $a", target);
                    break;
                case "delete":
                    Execute(connection, "DELETE FROM message_log WHERE Sequence = $a", target);
                    break;
                case "reorder":
                    // Swap two records' contents, keeping the positions: each record's hash covers its position.
                    Execute(connection, "UPDATE message_log SET Sequence = -1 WHERE Sequence = $a", target);
                    Execute(connection, "UPDATE message_log SET Sequence = $a WHERE Sequence = $b", target, target + 1);
                    Execute(connection, "UPDATE message_log SET Sequence = $b WHERE Sequence = -1", target, target + 1);
                    break;
                case "rehash":
                    // A forger who recomputes the changed record's own hash still breaks the next record's link.
                    Execute(connection, "UPDATE message_log SET Status = 500, Hash = $h WHERE Sequence = $a", target, 0, new string('a', 64));
                    break;
            }

            var verification = await AdminGetAsync("/api/exchange/admin/log/verify");

            Assert.False(verification.GetProperty("intact").GetBoolean());
            var broken = verification.GetProperty("firstBroken");
            Assert.Equal(target, broken.GetProperty("sequence").GetInt64());
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", broken.GetProperty("reason").GetString()!);
        }
        finally
        {
            Execute(connection, "DELETE FROM message_log WHERE Sequence IN ($a, $b, -1)", target, target + 1);
            Restore(connection, originals);
        }
        Assert.True((await AdminGetAsync("/api/exchange/admin/log/verify")).GetProperty("intact").GetBoolean());
    }

    private static List<Dictionary<string, object?>> Snapshot(SqliteConnection connection, long a, long b)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM message_log WHERE Sequence IN ($a, $b)";
        command.Parameters.AddWithValue("$a", a);
        command.Parameters.AddWithValue("$b", b);
        using var reader = command.ExecuteReader();
        var rows = new List<Dictionary<string, object?>>();
        while (reader.Read())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i)));
        }
        Assert.Equal(2, rows.Count);
        return rows;
    }

    private static void Restore(SqliteConnection connection, List<Dictionary<string, object?>> rows)
    {
        foreach (var row in rows)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"INSERT INTO message_log ({string.Join(", ", row.Keys.Select(k => '"' + k + '"'))}) VALUES ({string.Join(", ", row.Keys.Select(k => "$" + k))})";
            foreach (var (key, value) in row)
            {
                command.Parameters.AddWithValue("$" + key, value ?? DBNull.Value);
            }
            command.ExecuteNonQuery();
        }
    }

    private static void Execute(SqliteConnection connection, string sql, long a, long b = 0, string? hash = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$a", a);
        command.Parameters.AddWithValue("$b", b);
        command.Parameters.AddWithValue("$h", hash ?? "");
        command.ExecuteNonQuery();
    }
}
