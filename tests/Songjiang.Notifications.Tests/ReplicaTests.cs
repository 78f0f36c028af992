using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Songjiang.EventBus;
using Songjiang.Notifications.Api;
using Songjiang.Notifications.Tests.Support;
using Songjiang.Testing;
using System.Text.Json;

namespace Songjiang.Notifications.Tests;

/// <summary>
/// Two replicas of the notification service on one PostgreSQL database: a message written by one reaches a stream
/// open on the other, and a stream resumes on either with <c>Last-Event-ID</c>. Tokens come from the platform's
/// identity service.
/// </summary>
public sealed class ReplicaTests(NotificationsFixture platform) : IClassFixture<NotificationsFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_message_written_on_one_replica_streams_from_the_other_and_resumes_on_either()
    {
        var server = TestServers.Postgres;
        var database = "sj_notify_" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            await using var first = await StartReplicaAsync(server, database);
            await using var second = await StartReplicaAsync(server, database);
            var token = await platform.UserTokenAsync("ent-zhisuan");

            long last;
            var number = Events.NewNumber();
            await using (var stream = await SseClient.ConnectAsync(Address(second), token))
            {
                await first.Services.GetRequiredService<IEventBus>().PublishAsync(Events.Accepted(Guid.NewGuid(), number));
                last = (await stream.UntilAsync(e => e.Subject == number, Patience)).Last().Id;
            }

            var missed = Events.NewNumber();
            await second.Services.GetRequiredService<IEventBus>().PublishAsync(Events.Rejected(Guid.NewGuid(), missed));
            await using (var resumed = await SseClient.ConnectAsync(Address(first), token, last))
            {
                var events = await resumed.UntilAsync(e => e.Subject == missed, Patience);
                Assert.All(events, e => Assert.True(e.Id > last));
                Assert.Single(events, e => e.Subject == missed);
            }

            // Each event wrote one message, whichever replica handled it (both replicas subscribe to the topic).
            using var http = PlatformFixture.ExternalClient(Address(first));
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/notifications/?pageSize=100");
            request.Headers.Authorization = new("Bearer", token);
            using var response = await http.SendAsync(request);
            var items = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("items").EnumerateArray().ToList();
            Assert.Single(items, i => i.GetProperty("subject").GetString() == number);
            Assert.Single(items, i => i.GetProperty("subject").GetString() == missed);
        }
        finally
        {
            await DropDatabaseAsync(server, database);
        }
    }

    [Fact]
    public async Task A_users_stream_limit_holds_across_replicas_and_the_newest_stream_wins()
    {
        var server = TestServers.Postgres;
        var database = "sj_notify_" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            // One stream per user, counted in the shared database, not per replica.
            await using var first = await StartReplicaAsync(server, database, maxStreamsPerUser: 1);
            await using var second = await StartReplicaAsync(server, database, maxStreamsPerUser: 1);
            var token = await platform.UserTokenAsync("ent-g60bio");
            var otherUser = await platform.UserTokenAsync("ent-zhisuan");

            await using var onFirst = await SseClient.ConnectAsync(Address(first), token);
            await using var bystander = await SseClient.ConnectAsync(Address(first), otherUser);
            await using var onSecond = await SseClient.ConnectAsync(Address(second), token);
            await onFirst.Ended.WaitAsync(Patience);
            Assert.False(onSecond.Ended.IsCompleted);

            // And back: a newer stream on the first replica ends the one on the second; another user is untouched.
            await using var again = await SseClient.ConnectAsync(Address(first), token);
            await onSecond.Ended.WaitAsync(Patience);
            Assert.False(again.Ended.IsCompleted);
            Assert.False(bystander.Ended.IsCompleted);

            // The survivor still streams.
            var number = Events.NewNumber();
            await second.Services.GetRequiredService<IEventBus>().PublishAsync(Events.Accepted(Guid.NewGuid(), number, Events.G60Bio));
            await again.UntilAsync(e => e.Subject == number, Patience);
        }
        finally
        {
            await DropDatabaseAsync(server, database);
        }
    }

    [Fact]
    public async Task Messages_written_at_once_on_two_replicas_get_every_position_once_and_stream_in_order()
    {
        var server = TestServers.Postgres;
        var database = "sj_notify_" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            await using var first = await StartReplicaAsync(server, database);
            await using var second = await StartReplicaAsync(server, database);
            var token = await platform.UserTokenAsync("ent-zhisuan");
            await using var stream = await SseClient.ConnectAsync(Address(first), token);

            // Sixty handlers' transactions commit concurrently, half on each replica; each takes its position at the commit.
            var numbers = Enumerable.Range(0, 60).Select(_ => Events.NewNumber()).ToList();
            await Parallel.ForEachAsync(numbers.Select((n, i) => (n, i)), async (item, ct) =>
                await (item.i % 2 == 0 ? first : second).Services.GetRequiredService<IEventBus>().PublishAsync(Events.Accepted(Guid.NewGuid(), item.n), ct));

            var received = new List<SseEvent>();
            var pending = numbers.ToHashSet();
            while (pending.Count > 0)
            {
                var next = await stream.NextAsync(Patience) ?? throw new Xunit.Sdk.XunitException($"{pending.Count} messages never streamed");
                received.Add(next);
                pending.Remove(next.Subject ?? "");
            }
            Assert.Equal(received.Select(e => e.Id).Order(), received.Select(e => e.Id));
            Assert.Equal(received.Count, received.Select(e => e.Id).Distinct().Count());

            // Every message committed with a real position, and the positions have no holes.
            await using var connection = new NpgsqlConnection($"{server};Database={database}");
            await connection.OpenAsync();
            await using var query = new NpgsqlCommand("""SELECT count(*), min("Sequence"), max("Sequence"), (SELECT value FROM stream_counter) FROM notifications""", connection);
            await using var reader = await query.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.Equal(60L, reader.GetInt64(0));
            Assert.Equal(1L, reader.GetInt64(1));
            Assert.Equal(60L, reader.GetInt64(2));
            Assert.Equal(60L, reader.GetInt64(3));
        }
        finally
        {
            await DropDatabaseAsync(server, database);
        }
    }

    private static Uri Address(WebApplication app) => new(app.Urls.Single());

    private static async Task DropDatabaseAsync(string server, string database)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection($"{server};Database=postgres");
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private async Task<WebApplication> StartReplicaAsync(string server, string database, int maxStreamsPerUser = 5)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(NotificationsModule).Assembly.GetName().Name,
            EnvironmentName = "Development",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Urls"] = $"http://127.0.0.1:{FreePorts.Take(1)[0]}",
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:notifications"] = $"{server};Database={database}",
            ["Authentication:Authority"] = platform.Host.GatewayUri + "/",
            ["Authentication:MetadataAddress"] = platform.Host.Options.Services["identity"] + "/.well-known/openid-configuration",
            ["Authentication:RequireHttpsMetadata"] = "false",
            ["EventBus:AppId"] = "notifications",
            ["EventBus:Transport"] = "InMemory",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Notifications:MaxStreamsPerUser"] = maxStreamsPerUser.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var app = NotificationsModule.Module.Build(builder);
        await app.StartAsync();
        return app;
    }
}
