using Microsoft.Extensions.DependencyInjection;
using Songjiang.EventBus;
using Songjiang.Testing;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Songjiang.Notifications.Tests.Support;

/// <summary>
/// The embedded platform with a real SMTP server the notification service sends e-mail to, quick dispatch and a
/// small per-address rate limit.
/// </summary>
public sealed class NotificationsFixture : PlatformFixture
{
    /// <summary>The SMTP server.</summary>
    public SmtpTestServer Smtp { get; } = new(FreePorts.Take(1)[0]);

    /// <inheritdoc />
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Notifications:Smtp:Host", "127.0.0.1"),
        new("Notifications:Smtp:Port", Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Notifications:Smtp:Security", "None"),
        new("Notifications:DispatchInterval", "00:00:00.200"),
        new("Notifications:RetryDelay", "00:00:00.300"),
        new("Notifications:MaxAttempts", "3"),
        new("Notifications:RateLimit", "3"),
        new("Notifications:RateWindow", "00:10:00"),
        new("Notifications:MaxStreamsPerUser", "2"),
    ];

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }

    /// <summary>Publishes on the platform's bus as the publishing service would.</summary>
    public Task PublishAsync(IntegrationEvent evt) =>
        Host.Application("cases").Services.GetRequiredService<IEventBus>().PublishAsync(evt);

    /// <summary>Sends a request with a bearer token through the gateway.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return await Gateway.SendAsync(request);
    }

    /// <summary>The caller's messages (first page of 100) through the gateway.</summary>
    public async Task<List<JsonElement>> InboxAsync(string token, string query = "")
    {
        using var response = await GetAsync("/api/notifications/?pageSize=100" + query, token);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {body}");
        return [.. JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone())];
    }

    /// <summary>Polls the caller's inbox until the predicate holds over its messages, or fails after a timeout.</summary>
    public async Task<List<JsonElement>> InboxEventuallyAsync(string token, Func<List<JsonElement>, bool> predicate, string query = "", int seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        List<JsonElement> items;
        do
        {
            items = await InboxAsync(token, query);
            if (predicate(items))
            {
                return items;
            }
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail("the inbox never reached the expected state: " + string.Join(" | ", items.Select(i => i.GetProperty("title").GetString())));
        return items;
    }

    /// <summary>Waits until the notification service has recorded a task's close (the bus may reorder topics).</summary>
    public async Task TaskSettledAsync(Guid taskId)
    {
        var key = "task:" + taskId.ToString("N");
        for (var i = 0; i < 100; i++)
        {
            await using var scope = Host.Application("notifications").Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<Songjiang.Notifications.Api.Infrastructure.NotificationsDbContext>();
            if (await db.Reminders.FindAsync(key) is { DoneAt: not null })
            {
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"the close of task {taskId} was never recorded");
    }

    /// <summary>A task's reminder as the notification service keeps it.</summary>
    public async Task<Songjiang.Notifications.Api.Domain.Reminder> ReminderAsync(Guid taskId)
    {
        await using var scope = Host.Application("notifications").Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Songjiang.Notifications.Api.Infrastructure.NotificationsDbContext>();
        return await db.Reminders.FindAsync("task:" + taskId.ToString("N")) ?? throw new InvalidOperationException($"task {taskId} has no reminder");
    }

    /// <summary>Messages about a subject.</summary>
    public static List<JsonElement> About(List<JsonElement> items, string subject) =>
        [.. items.Where(i => i.TryGetProperty("subject", out var s) && s.GetString() == subject)];
}
