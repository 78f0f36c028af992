using Microsoft.Extensions.DependencyInjection;
using Songjiang.EventBus;
using Songjiang.PolicyRadar.Api.Application;
using Songjiang.PolicyRadar.Api.IntegrationEvents.Events;
using Songjiang.Testing;
using System.Net;
using System.Text.Json;

namespace Songjiang.PolicyRadar.Tests;

public sealed class PushTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    private const string Matched = "policyradar.policy-matched.v1";
    private readonly RadarTestClient _radar = new(platform);

    private static JsonElement Criteria(string json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public async Task Publishing_pushes_exactly_the_eligible_enterprises_once_and_a_profile_change_pushes_only_new_matches()
    {
        await _radar.WaitForSyncAsync();
        // Both demo enterprises are in the read model; only the software firm in 广富林 fits A; nobody fits B yet.
        var a = await _radar.PublishAsync(RadarTestClient.Draft("广富林软件企业发展奖励",
            Criteria("""{ "all": [ { "field": "industryCode", "op": "startsWith", "value": ["I65"] }, { "field": "location", "op": "eq", "value": "guangfulin" }, { "field": "employees", "op": "gte", "value": 50 } ] }""")));
        var b = await _radar.PublishAsync(RadarTestClient.Draft("软件企业规模化发展奖励",
            Criteria("""{ "all": [ { "field": "industryCode", "op": "startsWith", "value": ["I65"] }, { "field": "employees", "op": "gte", "value": 150 } ] }""")));

        await RadarTestClient.EventuallyAsync(async () => (await MatchesOf(a)).Count == 1, "the push for A");
        var pushA = Assert.Single(await MatchesOf(a));
        Assert.Equal(RadarTestClient.Zhisuan, pushA.GetProperty("uscc").GetString());
        Assert.Equal("上海松江智算科技有限公司", pushA.GetProperty("enterpriseName").GetString());
        Assert.Equal(1, pushA.GetProperty("policyVersion").GetInt32());
        Assert.Contains("从业人数 ≥ 50（企业：86）", pushA.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        await RadarTestClient.EventuallyAsync(() => PublishHandledAsync(b), "the re-match of B");
        Assert.Empty(await MatchesOf(b));

        // The enterprise reports more staff: B becomes a new match; A, already pushed, is not pushed again.
        var ent = await platform.UserTokenAsync("ent-zhisuan");
        using (var patched = await _radar.SendAsync(HttpMethod.Patch, $"/api/enterprises/{RadarTestClient.Zhisuan}", ent, new { employees = 160 }))
        {
            RadarTestClient.AssertStatus(HttpStatusCode.OK, patched);
        }
        await RadarTestClient.EventuallyAsync(async () => (await MatchesOf(b)).Count == 1, "the push for B");
        Assert.Single(await MatchesOf(a));

        // Redelivery: the same publish event again, the same fact under a new event id, and the profile once more.
        var published = (await _radar.EventsAsync("policyradar.policy-published.v1")).Single(e => e.GetProperty("policyId").GetGuid() == a);
        var bus = platform.Host.Application("policyradar").Services.GetRequiredService<IEventBus>();
        var original = await OriginalPublishEventAsync(a);
        var again = new PolicyPublishedIntegrationEvent(a, 1, published.GetProperty("title").GetString()!, "Songjiang", "松江区科学技术委员会",
            published.GetProperty("documentNumber").GetString()!, false, published.GetProperty("publishedAt").GetDateTimeOffset());
        await bus.PublishAsync(again with { Id = original });
        await bus.PublishAsync(again);
        var profile = new EnterpriseProfileChangedIntegrationEvent(RadarTestClient.Zhisuan, "profile-updated", ["employees"],
            new EnterpriseProfileData("上海松江智算科技有限公司", "guangfulin", "I6513", new DateOnly(2019, 6, 18), 160, 6800m, 920m,
                EnterpriseSizeClass.Medium, false, EnterpriseStage.Operating, EnterpriseCreditRating.A,
                [new EnterpriseQualificationData("tech-sme", new DateOnly(2025, 5, 1), new DateOnly(2026, 12, 31))]));
        await bus.PublishAsync(profile);
        await RadarTestClient.EventuallyAsync(async () => await _radar.HandledAsync(again.Id) && await _radar.HandledAsync(profile.Id), "the redeliveries");

        Assert.Single(await MatchesOf(a));
        Assert.Single(await MatchesOf(b));
        var admin = await platform.UserTokenAsync("admin");
        var pushes = await _radar.OkJsonAsync(HttpMethod.Get, $"/api/policyradar/enterprises/{RadarTestClient.Zhisuan}/pushes?kind=match&pageSize=100", admin);
        Assert.Single(pushes.GetProperty("items").EnumerateArray(), p => p.GetProperty("policyId").GetGuid() == a);
    }

    [Fact]
    public async Task Exempt_policies_offer_the_benefit_with_an_id_that_redeliveries_share()
    {
        await _radar.WaitForSyncAsync();
        var exempt = await PolicyIdAsync("松江区高新技术企业认定奖励（免申即享）");

        await RadarTestClient.EventuallyAsync(async () => (await OffersOf(exempt)).Count > 0, "the benefit offer");

        // The listed biomedicine firm holds a valid high-tech certificate; the software firm's lapsed on 2026-11-14.
        var offer = Assert.Single(await OffersOf(exempt));
        Assert.Equal(RadarTestClient.G60Bio, offer.GetProperty("uscc").GetString());
        Assert.Equal(OfferIds.For(RadarTestClient.G60Bio, exempt, 1), offer.GetProperty("offerId").GetGuid());
        Assert.Equal("松科规〔2025〕1号", offer.GetProperty("documentNumber").GetString());
        Assert.Equal("松江区科学技术委员会", offer.GetProperty("issuingBody").GetString());
        Assert.Equal(300000m, offer.GetProperty("benefitAmount").GetDecimal());
        Assert.Contains(offer.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.Contains("高新技术企业", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_enterprise_sees_its_own_matches_explained_and_never_another_enterprises()
    {
        await _radar.WaitForSyncAsync();
        var ent = await platform.UserTokenAsync("ent-zhisuan");

        var mine = await _radar.OkJsonAsync(HttpMethod.Get, "/api/policyradar/enterprises/me/matches", ent);

        Assert.Equal(RadarTestClient.Zhisuan, mine.GetProperty("uscc").GetString());
        var subsidy = mine.GetProperty("eligible").EnumerateArray()
            .Single(m => m.GetProperty("policy").GetProperty("title").GetString() == "松江区科技型中小企业研发费用补贴（免申即享）");
        var ratio = subsidy.GetProperty("explanation").GetProperty("children")[2];
        Assert.Equal(("0.1353", "≥ 0.03", true), (ratio.GetProperty("actual").GetString(), ratio.GetProperty("required").GetString(), ratio.GetProperty("met").GetBoolean()));
        // The high-tech reward is missed only by the lapsed certificate.
        var nearMiss = mine.GetProperty("nearMisses").EnumerateArray()
            .Single(m => m.GetProperty("policy").GetProperty("title").GetString() == "松江区高新技术企业认定奖励（免申即享）");
        Assert.Equal("有效资质 持有有效的 high-tech", Assert.Single(nearMiss.GetProperty("missing").EnumerateArray()).GetProperty("description").GetString());

        using var other = await _radar.SendAsync(HttpMethod.Get, $"/api/policyradar/enterprises/{RadarTestClient.G60Bio}/matches", ent);
        RadarTestClient.AssertStatus(HttpStatusCode.NotFound, other);
        using var otherPushes = await _radar.SendAsync(HttpMethod.Get, $"/api/policyradar/enterprises/{RadarTestClient.G60Bio}/pushes", ent);
        RadarTestClient.AssertStatus(HttpStatusCode.NotFound, otherPushes);
        var officer = await _radar.OkJsonAsync(HttpMethod.Get, $"/api/policyradar/enterprises/{RadarTestClient.G60Bio}/matches", await platform.UserTokenAsync("kw-reviewer"));
        Assert.True(officer.GetProperty("eligibleCount").GetInt32() > 0);
    }

    [Fact]
    public async Task Officers_list_the_enterprises_eligible_for_a_policy()
    {
        await _radar.WaitForSyncAsync();
        var id = await PolicyIdAsync("松江区企业研发投入后补助");

        var eligible = await _radar.OkJsonAsync(HttpMethod.Get, $"/api/policyradar/manage/policies/{id}/eligible", await platform.UserTokenAsync("kw-clerk"));

        Assert.Equal([RadarTestClient.G60Bio, RadarTestClient.Zhisuan], eligible.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("uscc").GetString()));
        using var refused = await _radar.SendAsync(HttpMethod.Get, $"/api/policyradar/manage/policies/{id}/eligible", await platform.UserTokenAsync("ent-g60bio"));
        RadarTestClient.AssertStatus(HttpStatusCode.Forbidden, refused);
    }

    [Fact]
    public async Task A_subscriber_is_told_of_a_new_policy_on_its_keywords_once()
    {
        await _radar.WaitForSyncAsync();
        var bio = await platform.UserTokenAsync("ent-g60bio");
        await _radar.OkJsonAsync(HttpMethod.Post, $"/api/policyradar/enterprises/{RadarTestClient.G60Bio}/subscriptions", bio, new { keywords = new[] { "细胞治疗" } });
        using (var foreign = await _radar.SendAsync(HttpMethod.Post, $"/api/policyradar/enterprises/{RadarTestClient.G60Bio}/subscriptions",
            await platform.UserTokenAsync("ent-zhisuan"), new { keywords = new[] { "x" } }))
        {
            RadarTestClient.AssertStatus(HttpStatusCode.NotFound, foreign);
        }

        var id = await _radar.PublishAsync(RadarTestClient.Draft("松江区细胞治疗产品临床转化支持",
            Criteria("""{ "field": "industryCode", "op": "startsWith", "value": ["C27"] }"""), text: "支持细胞治疗和基因治疗产品开展临床试验。"));

        await RadarTestClient.EventuallyAsync(async () => (await _radar.EventsAsync("policyradar.subscription-matched.v1"))
            .Any(e => e.GetProperty("policyId").GetGuid() == id), "the subscription push");
        var notice = Assert.Single(await _radar.EventsAsync("policyradar.subscription-matched.v1"), e => e.GetProperty("policyId").GetGuid() == id);
        Assert.Equal(RadarTestClient.G60Bio, notice.GetProperty("uscc").GetString());
        Assert.Equal(["细胞治疗"], notice.GetProperty("matchedKeywords").EnumerateArray().Select(k => k.GetString()));
        Assert.True(notice.GetProperty("eligible").GetBoolean());
    }

    private async Task<List<JsonElement>> MatchesOf(Guid policyId) =>
        [.. (await _radar.EventsAsync(Matched)).Where(e => e.GetProperty("policyId").GetGuid() == policyId)];

    private async Task<List<JsonElement>> OffersOf(Guid policyId) =>
        [.. (await _radar.EventsAsync("policyradar.benefit-offered.v1")).Where(e => e.GetProperty("policyId").GetGuid() == policyId)];

    private async Task<Guid> OriginalPublishEventAsync(Guid policyId) =>
        (await _radar.EnvelopesAsync("policyradar.policy-published.v1"))
            .Single(e => e.GetProperty("data").GetProperty("policyId").GetGuid() == policyId).GetProperty("id").GetGuid();

    private async Task<bool> PublishHandledAsync(Guid policyId) => await _radar.HandledAsync(await OriginalPublishEventAsync(policyId));

    private async Task<Guid> PolicyIdAsync(string title)
    {
        var result = await _radar.OkJsonAsync(HttpMethod.Get, $"/api/policyradar/search?q={Uri.EscapeDataString(title)}", token: null);
        return result.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("title").GetString() == title).GetProperty("policyId").GetGuid();
    }
}
