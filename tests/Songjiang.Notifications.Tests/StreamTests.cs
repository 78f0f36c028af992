using Songjiang.Notifications.Tests.Support;
using System.Diagnostics;
using System.Net;

namespace Songjiang.Notifications.Tests;

/// <summary>Live push over server-sent events, through the gateway, the way a browser's EventSource meets it.</summary>
public sealed class StreamTests(NotificationsFixture platform) : IClassFixture<NotificationsFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_connected_client_receives_its_message_within_a_second_and_another_users_stream_never_sees_it()
    {
        var owner = await platform.UserTokenAsync("ent-zhisuan");
        var stranger = await platform.UserTokenAsync("ent-g60bio");
        await using var mine = await SseClient.ConnectAsync(platform.Host.GatewayUri, owner);
        await using var theirs = await SseClient.ConnectAsync(platform.Host.GatewayUri, stranger);

        // The first message of a fresh platform pays for start-up (compiling queries); the promise is for the ones after.
        var warmUp = Events.NewNumber();
        await platform.PublishAsync(Events.Accepted(Guid.NewGuid(), warmUp));
        await mine.UntilAsync(e => e.Subject == warmUp, Patience);

        var number = Events.NewNumber();
        var clock = Stopwatch.StartNew();
        await platform.PublishAsync(Events.Accepted(Guid.NewGuid(), number));
        var received = (await mine.UntilAsync(e => e.Subject == number, Patience)).Last();
        var latency = clock.Elapsed;

        Assert.True(latency < TimeSpan.FromSeconds(1), $"delivered after {latency.TotalMilliseconds:0} ms");
        Assert.Equal("notification", received.Event);
        Assert.Equal("ApplicationAccepted", received.Data.GetProperty("category").GetString());
        Assert.Equal(received.Id, received.Data.GetProperty("sequence").GetInt64());
        Assert.Contains("已受理", received.Data.GetProperty("body").GetString());

        Assert.DoesNotContain(await theirs.DrainAsync(TimeSpan.FromSeconds(1)), e => e.Subject == number);
    }

    [Fact]
    public async Task A_client_resuming_with_Last_Event_ID_gets_what_it_missed_and_nothing_twice()
    {
        var token = await platform.UserTokenAsync("scj-reviewer");
        var number = Events.NewNumber();
        long lastSeen;
        await using (var first = await SseClient.ConnectAsync(platform.Host.GatewayUri, token))
        {
            await platform.PublishAsync(Events.TaskQueued(Guid.NewGuid(), number, "market-regulation"));
            lastSeen = (await first.UntilAsync(e => e.Subject == number, Patience)).Last().Id;
        }

        // Dropped: two messages arrive meanwhile.
        var missed = new[] { Events.TaskQueued(Guid.NewGuid(), number, "market-regulation"), Events.TaskQueued(Guid.NewGuid(), number, "market-regulation") };
        foreach (var evt in missed)
        {
            await platform.PublishAsync(evt);
        }
        await platform.InboxEventuallyAsync(token, items => NotificationsFixture.About(items, number).Count == 3);

        await using var resumed = await SseClient.ConnectAsync(platform.Host.GatewayUri, token, lastSeen);
        var caughtUp = await resumed.DrainAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(2, caughtUp.Count(e => e.Subject == number));
        await platform.PublishAsync(Events.TaskQueued(Guid.NewGuid(), number, "market-regulation"));
        var live = await resumed.UntilAsync(e => e.Subject == number && caughtUp.All(c => c.Id != e.Id), Patience);
        var all = caughtUp.Concat(live).ToList();

        var ofNumber = all.Where(e => e.Subject == number).ToList();
        Assert.Equal(3, ofNumber.Count);
        Assert.All(all, e => Assert.True(e.Id > lastSeen));
        Assert.Equal(all.Select(e => e.Id).Distinct().Count(), all.Count);
        Assert.Equal(all.Select(e => e.Id).Order(), all.Select(e => e.Id));
    }

    [Fact]
    public async Task A_user_beyond_the_stream_limit_loses_the_oldest_stream_and_a_bad_Last_Event_ID_is_refused()
    {
        var token = await platform.UserTokenAsync("tax-clerk");
        await using var oldest = await SseClient.ConnectAsync(platform.Host.GatewayUri, token);
        await using var second = await SseClient.ConnectAsync(platform.Host.GatewayUri, token);
        await using var third = await SseClient.ConnectAsync(platform.Host.GatewayUri, token);
        // The fixture allows two per user: the oldest ends, the newer two stay open.
        await oldest.Ended.WaitAsync(Patience);
        Assert.False(second.Ended.IsCompleted);
        Assert.False(third.Ended.IsCompleted);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/notifications/stream");
        request.Headers.Authorization = new("Bearer", token);
        request.Headers.Add("Last-Event-ID", "abc");
        using var refused = await platform.Gateway.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        using var anonymous = await platform.Gateway.GetAsync("/api/notifications/stream");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
