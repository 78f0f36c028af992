using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Songjiang.Exchange.Tests.Support;
using Songjiang.Testing;

namespace Songjiang.Exchange.Tests;

/// <summary>A platform that gives up on a webhook after two seconds instead of 25 hours.</summary>
public sealed class ShortRetryPlatform : ExchangePlatform
{
    /// <inheritdoc />
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => base.Settings.Concat(new Dictionary<string, string?>
    {
        ["Exchange:WebhookRetryFor"] = "00:00:02",
    });
}

/// <summary>Webhooks nobody could receive for the whole retry period are dead-lettered, and an admin can replay them.</summary>
public sealed class DeadLetterTests(ShortRetryPlatform platform) : IClassFixture<ShortRetryPlatform>
{
    private async Task<JsonElement> AdminAsync(HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await platform.UserTokenAsync("admin"));
        using var response = await platform.Gateway.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task A_webhook_past_its_retry_period_is_dead_lettered_and_delivered_when_an_admin_replays_it()
    {
        await using var receiver = new WebhookReceiver();
        var hefei = platform.Partner("340100");
        using (var registered = await hefei.SendAsync(HttpMethod.Put, "/api/partner/v1/webhook", new { url = receiver.Url }))
        {
            Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        }
        using (var filed = await hefei.SendAsync(HttpMethod.Post, "/api/partner/v1/applications",
            ExchangePlatform.Application("HF-DEAD-1", ExchangePlatform.Uscc("340100"))))
        {
            Assert.Equal(HttpStatusCode.Accepted, filed.StatusCode);
        }

        var dead = await CaseDriver.EventuallyAsync(
            () => AdminAsync(HttpMethod.Get, "/api/exchange/admin/webhooks?state=dead&city=340100"),
            page => page.GetProperty("total").GetInt32() == 1, "the webhook to be dead-lettered");
        var delivery = dead.GetProperty("items")[0];
        Assert.True(delivery.GetProperty("attempts").GetInt32() >= 2);
        Assert.Empty(receiver.Arrivals);

        await receiver.StartAsync();
        var replayed = await AdminAsync(HttpMethod.Post, $"/api/exchange/admin/webhooks/{delivery.GetProperty("id").GetGuid()}/replay");
        Assert.Equal("pending", replayed.GetProperty("state").GetString());

        await CaseDriver.EventuallyAsync(() => Task.FromResult(receiver.Arrivals.Count), count => count == 1, "the replayed webhook");
        var arrival = Assert.Single(receiver.Arrivals);
        Assert.True(arrival.SignatureValid);
        Assert.Equal("submitted", arrival.Body.GetProperty("status").GetString());
        await CaseDriver.EventuallyAsync(
            () => AdminAsync(HttpMethod.Get, "/api/exchange/admin/webhooks?state=delivered&city=340100"),
            page => page.GetProperty("total").GetInt32() == 1, "the delivery to be recorded");
    }
}
