using System.Net;
using System.Text.Json;
using Songjiang.Exchange.Tests.Support;
using Songjiang.Testing;

namespace Songjiang.Exchange.Tests;

/// <summary>Status webhooks to partner cities: signed, in order, retried while the receiver is down, each status once.</summary>
[Collection(ExchangeCollection.Name)]
public sealed class WebhookTests(ExchangePlatform platform)
{
    // Wuhu is used by this test only, so its deliveries are all this test's.
    private const string Wuhu = "340200";

    [Fact]
    public async Task A_receiver_that_is_down_for_a_while_then_gets_every_status_once_in_order_signed_by_Songjiang()
    {
        await using var receiver = new WebhookReceiver();
        var wuhu = platform.Partner(Wuhu);
        using (var registered = await wuhu.SendAsync(HttpMethod.Put, "/api/partner/v1/webhook", new { url = receiver.Url }))
        {
            Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        }

        // The receiver is down while the case goes through 补正 to approval.
        using var filed = await wuhu.SendAsync(HttpMethod.Post, "/api/partner/v1/applications",
            ExchangePlatform.Application("WH-2026-7", ExchangePlatform.Uscc(Wuhu)));
        Assert.Equal(HttpStatusCode.Accepted, filed.StatusCode);
        var application = await PartnerClient.ReadAsync(filed);
        var id = application.GetProperty("id").GetGuid();
        var number = application.GetProperty("number").GetString()!;
        var cases = new CaseDriver(platform);
        await cases.ActAsync("hr-clerk", number, "correct", "请补正结清证明", ["settlement"]);
        await WaitForDeliveriesAsync(wuhu, 2, _ => true);
        using (var resubmitted = await wuhu.SendAsync(HttpMethod.Post, $"/api/partner/v1/applications/{id}/resubmissions",
            new { materials = new[] { ExchangePlatform.Material("settlement") } }))
        {
            Assert.Equal(HttpStatusCode.Accepted, resubmitted.StatusCode);
        }
        await cases.ActAsync("hr-clerk", number, "accept");
        await cases.ActAsync("hr-reviewer", number, "approve", "同意");
        // All five statuses wait, and the sender keeps retrying the down receiver (the case may reach approval before
        // its first retry: events leave at their commit).
        await WaitForDeliveriesAsync(wuhu, 5, d => d.GetProperty("state").GetString() == "pending"
            && d.GetProperty("attempts").GetInt32() > 1 && d.TryGetProperty("lastError", out var error) && error.GetString() is { Length: > 0 });

        await receiver.StartAsync();
        await WaitForDeliveriesAsync(wuhu, 5, d => d.GetProperty("state").GetString() == "delivered", all: true);
        await Task.Delay(1500); // time for any duplicate to show up

        // Later statuses (the licence's 办结) may still arrive meanwhile: every one that arrived is a delivered one.
        var arrivals = receiver.Arrivals.ToList();
        var delivered = await WaitForDeliveriesAsync(wuhu, arrivals.Count, d => d.GetProperty("state").GetString() == "delivered", all: true);
        Assert.All(arrivals, a => Assert.True(a.SignatureValid));
        Assert.All(arrivals, a => Assert.Equal("310117", a.City));
        Assert.Equal(arrivals.Count, arrivals.Select(a => a.EventId).Distinct().Count());
        Assert.True(delivered.Count >= arrivals.Count, $"{delivered.Count} delivered, {arrivals.Count} arrived");
        Assert.Equal(Enumerable.Range(1, arrivals.Count), arrivals.Select(a => a.Body.GetProperty("sequence").GetInt32()));
        var statuses = arrivals.Select(a => a.Body.GetProperty("status").GetString()).ToList();
        Assert.Equal(["submitted", "correction-requested", "resubmitted", "accepted", "approved"], statuses.Take(5));
        Assert.All(arrivals, a => Assert.Equal(id, a.Body.GetProperty("applicationId").GetGuid()));
        Assert.Equal("待补正", arrivals[1].Body.GetProperty("statusName").GetString());
        Assert.EndsWith("+08:00", arrivals[0].Body.GetProperty("occurredAt").GetString(), StringComparison.Ordinal);

        // The outbound calls are in the message log too.
        var outbound = await OutboundCountAsync();
        Assert.True(outbound >= arrivals.Count);
    }

    private async Task<int> OutboundCountAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/exchange/admin/log?city={Wuhu}&direction=out&status=204");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await platform.UserTokenAsync("admin"));
        using var response = await platform.Gateway.SendAsync(request);
        return (await PartnerClient.ReadAsync(response)).GetProperty("total").GetInt32();
    }

    private static async Task<List<JsonElement>> WaitForDeliveriesAsync(PartnerClient partner, int atLeast, Func<JsonElement, bool> condition, bool all = false) =>
        await CaseDriver.EventuallyAsync(async () =>
        {
            using var response = await partner.SendAsync(HttpMethod.Get, "/api/partner/v1/webhook/deliveries?pageSize=100");
            return (await PartnerClient.ReadAsync(response)).GetProperty("items").EnumerateArray().Select(e => e.Clone()).ToList();
        }, items => items.Count >= atLeast && (all ? items.All(condition) : items.Any(condition)), $"{atLeast} webhook deliveries");
}
