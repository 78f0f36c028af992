using Microsoft.Extensions.DependencyInjection;
using Songjiang.Enterprises.Api.IntegrationEvents.Events;
using Songjiang.EventBus;
using Songjiang.Testing;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Songjiang.Enterprises.Tests;

/// <summary>
/// The lifecycle from establishment to deregistration, driven by case and licence events published on the
/// platform's bus the way the cases and licences services publish them — each delivered twice.
/// </summary>
public sealed class LifecycleTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    private const string Uscc = "91330402MA2JD3UK9N";

    [Fact]
    public async Task Establishment_to_deregistration_follows_events_and_redelivery_has_one_effect()
    {
        var caseworker = await platform.UserTokenAsync("scj-reviewer");
        var form = JsonSerializer.SerializeToElement(new
        {
            companyName = "上海松江云链数据有限公司", legalRepresentative = "孙七", registeredAddress = "上海市松江区九亭镇沪亭北路99号",
            registeredCapital = 800, businessScope = "数据处理和存储服务", industryCode = "I6540", location = "jiuting",
        });

        await PublishTwiceAsync(new ApplicationApprovedIntegrationEvent(Guid.NewGuid(), "SJ20261128000101", "SJ-SCJ-001", "YJS-QYKB", null, Uscc, form));
        var established = await StageEventuallyAsync(caseworker, "Establishing");
        Assert.Equal("上海松江云链数据有限公司", established.GetProperty("name").GetString());
        Assert.Equal("jiuting", established.GetProperty("location").GetString());

        await PublishTwiceAsync(new LicenceIssuedIntegrationEvent("31011720261128000101", "business-licence", Uscc, new DateOnly(2026, 11, 28), null));
        var operating = await StageEventuallyAsync(caseworker, "Operating");
        Assert.Equal(["licence:business-licence"], operating.GetProperty("qualifications").EnumerateArray().Select(q => q.GetProperty("kind").GetString()));

        await PublishTwiceAsync(new ApplicationSubmittedIntegrationEvent(Guid.NewGuid(), "SJ20261128000102", "SJ-SCJ-002", null, Uscc));
        await StageEventuallyAsync(caseworker, "Changing");
        var change = JsonSerializer.SerializeToElement(new { uscc = Uscc, changes = new { registeredAddress = "上海市松江区九亭镇九新公路88号", registeredCapital = 1200 } });
        await PublishTwiceAsync(new ApplicationApprovedIntegrationEvent(Guid.NewGuid(), "SJ20261128000102", "SJ-SCJ-002", null, Uscc, null, change));
        var changed = await StageEventuallyAsync(caseworker, "Operating", profile => profile.GetProperty("registeredCapital").GetDecimal() == 1200m);
        Assert.Equal("上海市松江区九亭镇九新公路88号", changed.GetProperty("registeredAddress").GetString());

        // Filing the deregistration bundle changes nothing; the approval of its first matter starts the winding up.
        await PublishTwiceAsync(new ApplicationSubmittedIntegrationEvent(Guid.NewGuid(), "SJ20261128000103", null, "YJS-QYZX", Uscc));
        await PublishTwiceAsync(new ApplicationSubmittedIntegrationEvent(Guid.NewGuid(), "SJ20261128000103-01", "SJ-SW-003", "YJS-QYZX", Uscc));
        await Task.Delay(500);
        await StageEventuallyAsync(caseworker, "Operating");
        await PublishTwiceAsync(new ApplicationApprovedIntegrationEvent(Guid.NewGuid(), "SJ20261128000103-01", "SJ-SW-003", "YJS-QYZX", Uscc, null, JsonSerializer.SerializeToElement(new { uscc = Uscc })));
        await StageEventuallyAsync(caseworker, "Deregistering");
        await PublishTwiceAsync(new ApplicationApprovedIntegrationEvent(Guid.NewGuid(), "SJ20261128000104", "SJ-SCJ-003", "YJS-QYZX", Uscc, null, JsonSerializer.SerializeToElement(new { uscc = Uscc })));
        await StageEventuallyAsync(caseworker, "Deregistered");

        // Every step once, though every event came twice.
        using var timeline = await platform.GetAsync($"/api/enterprises/{Uscc}/timeline", caseworker);
        var actions = (await PlatformFixture.JsonOf(timeline)).EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(1, actions.Count(a => a == "established"));
        Assert.Equal(1, actions.Count(a => a == "licence-issued"));
        Assert.Equal(1, actions.Count(a => a == "changed"));
        Assert.Equal(1, actions.Count(a => a == "deregistered"));
        Assert.Equal(2, actions.Count(a => a == "stage-changed"));

        // A closed profile takes no more edits.
        var approver = await platform.UserTokenAsync("scj-approver");
        using var edit = new HttpRequestMessage(HttpMethod.Patch, $"/api/enterprises/{Uscc}") { Content = JsonContent.Create(new { employees = 3 }) };
        edit.Headers.Authorization = new AuthenticationHeaderValue("Bearer", approver);
        using var refused = await platform.Gateway.SendAsync(edit);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
    }

    [Fact]
    public async Task Revoked_licence_is_no_longer_a_qualification_and_rejection_ends_a_change()
    {
        var caseworker = await platform.UserTokenAsync("scj-reviewer");
        const string holder = "91310117MA1H8BXR2W";
        await PublishTwiceAsync(new LicenceIssuedIntegrationEvent("SP31011720260001", "food-business-licence", holder, new DateOnly(2026, 1, 5), new DateOnly(2031, 1, 4)));
        await ProfileEventuallyAsync(holder, caseworker, p => HasLicence(p, "SP31011720260001"));

        await PublishTwiceAsync(new LicenceStatusChangedIntegrationEvent("SP31011720260001", "food-business-licence", holder, "revoked", "经营场所不符合要求"));
        await ProfileEventuallyAsync(holder, caseworker, p => !HasLicence(p, "SP31011720260001"));

        await PublishTwiceAsync(new ApplicationSubmittedIntegrationEvent(Guid.NewGuid(), "SJ20261128000201", "SJ-SCJ-002", null, holder));
        await ProfileEventuallyAsync(holder, caseworker, p => p.GetProperty("stage").GetString() == "Changing");
        await PublishTwiceAsync(new ApplicationRejectedIntegrationEvent(Guid.NewGuid(), "SJ20261128000201", "SJ-SCJ-002", null, holder, "材料不全"));
        await ProfileEventuallyAsync(holder, caseworker, p => p.GetProperty("stage").GetString() == "Operating");
    }

    private static bool HasLicence(JsonElement profile, string number) =>
        profile.GetProperty("qualifications").EnumerateArray().Any(q => q.GetProperty("certificateNumber").GetString() == number);

    private async Task PublishTwiceAsync(IntegrationEvent evt)
    {
        // Any service's bus publishes onto the platform's broker; the same event twice is a redelivery.
        var bus = platform.Host.Application("catalog").Services.GetRequiredService<IEventBus>();
        await bus.PublishAsync(evt);
        await bus.PublishAsync(evt);
    }

    private Task<JsonElement> StageEventuallyAsync(string token, string stage, Func<JsonElement, bool>? also = null) =>
        ProfileEventuallyAsync(Uscc, token, p => p.GetProperty("stage").GetString() == stage && (also?.Invoke(p) ?? true));

    private async Task<JsonElement> ProfileEventuallyAsync(string uscc, string token, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonElement? last = null;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await platform.GetAsync($"/api/enterprises/{uscc}", token);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                last = await PlatformFixture.JsonOf(response);
                if (condition(last.Value))
                {
                    return last.Value;
                }
            }
            await Task.Delay(100);
        }
        Assert.Fail($"The profile of {uscc} did not reach the expected state in time; last seen: {last}");
        return default;
    }
}
