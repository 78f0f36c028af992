using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Songjiang.Enterprises.Api.Infrastructure;
using Songjiang.Enterprises.Api.IntegrationEvents.Events;
using Songjiang.SharedKernel;
using Published = Songjiang.Cases.Api.IntegrationEvents.Events;
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
    [Fact]
    public async Task Establishment_to_deregistration_follows_events_and_redelivery_has_one_effect()
    {
        var caseworker = await platform.UserTokenAsync("scj-reviewer");
        var details = new RegisteredDetails("上海松江云链数据有限公司", "孙七", "上海市松江区九亭镇沪亭北路99号", 800m, "数据处理和存储服务", "I6540", "jiuting");

        await PublishTwiceAsync(Approved("SJ20261128000101", null, new ApprovedRegistration("establish", null, details)));
        var uscc = await RegisteredCodeAsync("SJ20261128000101");
        Assert.True(UnifiedSocialCreditCode.TryParse(uscc, out _, out var invalid), invalid);
        Assert.StartsWith("91310117MA", uscc, StringComparison.Ordinal);
        var established = await StageEventuallyAsync(uscc, caseworker, "Establishing");
        Assert.Equal("上海松江云链数据有限公司", established.GetProperty("name").GetString());
        Assert.Equal("jiuting", established.GetProperty("location").GetString());

        await PublishTwiceAsync(new LicenceIssuedIntegrationEvent("31011720261128000101", "business-licence", uscc, new DateOnly(2026, 11, 28), null));
        var operating = await StageEventuallyAsync(uscc, caseworker, "Operating");
        Assert.Equal(["licence:business-licence"], operating.GetProperty("qualifications").EnumerateArray().Select(q => q.GetProperty("kind").GetString()));

        await PublishTwiceAsync(new ApplicationSubmittedIntegrationEvent(Guid.NewGuid(), "SJ20261128000102", "SJ-SCJ-002", null, uscc));
        await StageEventuallyAsync(uscc, caseworker, "Changing");
        var change = new RegisteredDetails(null, null, "上海市松江区九亭镇九新公路88号", 1200m, null, null, null);
        await PublishTwiceAsync(Approved("SJ20261128000102", uscc, new ApprovedRegistration("change", uscc, change)));
        var changed = await StageEventuallyAsync(uscc, caseworker, "Operating", profile => profile.GetProperty("registeredCapital").GetDecimal() == 1200m);
        Assert.Equal("上海市松江区九亭镇九新公路88号", changed.GetProperty("registeredAddress").GetString());

        // Filing the deregistration bundle changes nothing; the approval of its first matter starts the winding up.
        await PublishTwiceAsync(new ApplicationSubmittedIntegrationEvent(Guid.NewGuid(), "SJ20261128000103", null, "YJS-QYZX", uscc));
        await PublishTwiceAsync(new ApplicationSubmittedIntegrationEvent(Guid.NewGuid(), "SJ20261128000103-01", "SJ-SW-003", "YJS-QYZX", uscc));
        await Task.Delay(500);
        await StageEventuallyAsync(uscc, caseworker, "Operating");
        await PublishTwiceAsync(BundleStepApproved("SJ20261128000103-01", "SJ20261128000103", uscc));
        await StageEventuallyAsync(uscc, caseworker, "Deregistering");
        await PublishTwiceAsync(Approved("SJ20261128000104", uscc, new ApprovedRegistration("deregister", uscc, new RegisteredDetails(null, null, null, null, null, null, null))));
        await StageEventuallyAsync(uscc, caseworker, "Deregistered");

        // Every step once, though every event came twice.
        using var timeline = await platform.GetAsync($"/api/enterprises/{uscc}/timeline", caseworker);
        var actions = (await PlatformFixture.JsonOf(timeline)).EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(1, actions.Count(a => a == "established"));
        Assert.Equal(1, actions.Count(a => a == "licence-issued"));
        Assert.Equal(1, actions.Count(a => a == "changed"));
        Assert.Equal(1, actions.Count(a => a == "deregistered"));
        Assert.Equal(2, actions.Count(a => a == "stage-changed"));

        // A closed profile takes no more edits.
        var approver = await platform.UserTokenAsync("scj-approver");
        using var edit = new HttpRequestMessage(HttpMethod.Patch, $"/api/enterprises/{uscc}") { Content = JsonContent.Create(new { employees = 3 }) };
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

    private Task<JsonElement> StageEventuallyAsync(string uscc, string token, string stage, Func<JsonElement, bool>? also = null) =>
        ProfileEventuallyAsync(uscc, token, p => p.GetProperty("stage").GetString() == stage && (also?.Invoke(p) ?? true));

    // The cases service's own record of an approval (v2), as it publishes it: the register reads only its registration.
    // A step of 企业注销一件事 other than the deregistration itself: approved, with no effect on the register of its own.
    private static Published.ApplicationApprovedV2IntegrationEvent BundleStepApproved(string number, string parent, string applicant) => new(
        Guid.NewGuid(), number, parent, "SJ-SW-003", "清税证明", "YJS-QYZX", "taxation", applicant, "孙七", "online", "sw-approver",
        DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)), DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)), false, "ent-user-1", null, null);

    private static Published.ApplicationApprovedV2IntegrationEvent Approved(string number, string? applicant, ApprovedRegistration registration) => new(
        Guid.NewGuid(), number, null, "SJ-SCJ-00X", "登记", null, "market-regulation", applicant, "孙七", "online", "scj-approver",
        DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)), DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)), false, "ent-user-1", null,
        new Published.ApprovedRegistration(registration.Effect, registration.Uscc, new Published.RegisteredDetails(
            registration.Details.Name, registration.Details.LegalRepresentative, registration.Details.RegisteredAddress,
            registration.Details.RegisteredCapital, registration.Details.BusinessScope, registration.Details.IndustryCode, registration.Details.Location)));

    // The code the register minted on an establishment, as it announced it.
    private async Task<string> RegisteredCodeAsync(string applicationNumber)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            await using var scope = platform.Host.Application("enterprises").Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<EnterprisesDbContext>();
            var uscc = await db.Timeline.Where(t => t.Action == "established" && t.Actor == "application:" + applicationNumber)
                .Select(t => t.Uscc).FirstOrDefaultAsync();
            if (uscc is not null)
            {
                return uscc;
            }
            Assert.True(DateTime.UtcNow < deadline, $"No enterprise was registered on {applicationNumber} in time.");
            await Task.Delay(100);
        }
    }

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
