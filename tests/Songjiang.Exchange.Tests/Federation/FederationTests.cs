using System.Net;
using System.Text;
using System.Text.Json;
using Songjiang.Exchange.Tests.Support;
using Songjiang.Testing;

namespace Songjiang.Exchange.Tests.Federation;

/// <summary>
/// Two real platforms, Songjiang and Jiaxing, each its own process: they fetch each other's sealed issuers document
/// into their licence trust lists, and then a licence sealed by one city's issuer verifies on the other's partner API,
/// until its issuer revokes it.
/// </summary>
[Trait("Category", "Federation")]
public sealed partial class FederationTests(FederatedPlatforms cities) : IClassFixture<FederatedPlatforms>
{
    // The fixture, for the parts of the class in other files.
    private FederatedPlatforms Cities => cities;

    [Fact]
    public async Task Each_city_adds_the_other_citys_issuers_to_its_trust_list_from_a_document_sealed_with_the_agreed_platform_key()
    {
        var songjiang = await SyncAsync(cities.Songjiang);
        var jiaxing = await SyncAsync(cities.Jiaxing);

        var fromJiaxing = Assert.Single(songjiang, r => r.GetProperty("city").GetString() == FederatedPlatforms.JiaxingCode);
        Assert.True(fromJiaxing.GetProperty("outcome").GetString() == "synced", fromJiaxing.ToString());
        Assert.True(fromJiaxing.GetProperty("issuers").GetInt32() > 0);
        var fromSongjiang = Assert.Single(jiaxing, r => r.GetProperty("city").GetString() == FederatedPlatforms.SongjiangCode);
        Assert.True(fromSongjiang.GetProperty("outcome").GetString() == "synced", fromSongjiang.ToString());

        // Suzhou's entry on Jiaxing points at a platform whose document is sealed with another key than the agreed one.
        var fromSuzhou = Assert.Single(jiaxing, r => r.GetProperty("city").GetString() == FederatedPlatforms.SuzhouCode);
        Assert.Equal("failed", fromSuzhou.GetProperty("outcome").GetString());
        Assert.Contains("约定的平台密钥", fromSuzhou.GetProperty("reason").GetString(), StringComparison.Ordinal);

        var songjiangTrusts = await TrustListAsync(cities.Songjiang);
        Assert.Contains(songjiangTrusts, k => k.GetProperty("cityCode").GetString() == FederatedPlatforms.JiaxingCode);
        var jiaxingTrusts = await TrustListAsync(cities.Jiaxing);
        Assert.Contains(jiaxingTrusts, k => k.GetProperty("cityCode").GetString() == FederatedPlatforms.SongjiangCode);
        Assert.DoesNotContain(jiaxingTrusts, k => k.GetProperty("cityCode").GetString() == FederatedPlatforms.SuzhouCode);

        // Fetching again adds nothing new, and both fetches are in the log as outbound messages to the partner.
        var again = await SyncAsync(cities.Songjiang);
        Assert.Equal(0, Assert.Single(again, r => r.GetProperty("city").GetString() == FederatedPlatforms.JiaxingCode).GetProperty("added").GetInt32());
        var log = await FederatedPlatforms.AsUserAsync(cities.Songjiang, "admin", HttpMethod.Get,
            $"/api/exchange/admin/log?city={FederatedPlatforms.JiaxingCode}&direction=out&status=200");
        Assert.True(log.GetProperty("total").GetInt32() >= 2);
    }

    [Fact]
    public async Task A_licence_sealed_in_one_city_verifies_on_the_other_citys_partner_api_until_its_issuer_revokes_it_in_both_directions()
    {
        await SyncAsync(cities.Songjiang);
        await SyncAsync(cities.Jiaxing);

        await VerifyAcrossAsync(issuedBy: cities.Jiaxing, verifiedBy: cities.Songjiang, callerCity: FederatedPlatforms.JiaxingCode);
        await VerifyAcrossAsync(issuedBy: cities.Songjiang, verifiedBy: cities.Jiaxing, callerCity: FederatedPlatforms.SongjiangCode);
    }

    private static async Task VerifyAcrossAsync(PlatformProcess issuedBy, PlatformProcess verifiedBy, string callerCity)
    {
        var issued = await FederatedPlatforms.AsUserAsync(issuedBy, "scj-approver", HttpMethod.Post, "/api/licenses", new
        {
            typeCode = "business-licence",
            holder = new { name = "上海松江智算科技有限公司", uscc = CaseDriver.Zhisuan },
            fields = new Dictionary<string, object>
            {
                ["legalRepresentative"] = "张明",
                ["entityType"] = "有限责任公司",
                ["registeredCapitalTenThousandYuan"] = 1000,
                ["establishedOn"] = "2021-03-15",
                ["address"] = "上海市松江区新桥镇新飞路1500号",
                ["businessScope"] = "人工智能基础软件开发；技术服务、技术开发、技术咨询。",
            },
        });
        var number = issued.GetProperty("licence").GetProperty("number").GetString()!;
        var document = await FederatedPlatforms.AsUserAsync(issuedBy, "scj-approver", HttpMethod.Get, $"/api/licenses/{number}/document");

        var partner = FederatedPlatforms.Partner(verifiedBy, callerCity);
        using var response = await partner.SendAsync(HttpMethod.Post, "/api/partner/v1/licenses/verify", new { document });
        var verdict = await PartnerClient.ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, verdict.ToString());
        Assert.True(verdict.GetProperty("outcome").GetString() == "valid", verdict.ToString());
        Assert.Equal("trust-list", verdict.GetProperty("keySource").GetString());
        Assert.Equal(number, verdict.GetProperty("licenceNumber").GetString());
        Assert.Equal(CaseDriver.Zhisuan, verdict.GetProperty("holder").GetProperty("code").GetString());

        // The same document with one character of its content changed is refused.
        var tampered = JsonDocument.Parse(document.GetRawText().Replace("张明", "张三", StringComparison.Ordinal)).RootElement;
        using var refused = await partner.SendAsync(HttpMethod.Post, "/api/partner/v1/licenses/verify", new { document = tampered });
        Assert.Equal("invalid", (await PartnerClient.ReadAsync(refused)).GetProperty("outcome").GetString());

        // Revoked where it was issued, it is revoked here too: the other city reads the issuer's revocation list.
        await FederatedPlatforms.AsUserAsync(issuedBy, "scj-approver", HttpMethod.Post, $"/api/licenses/{number}/revoke", new { reason = "以欺骗手段取得许可" });
        using var afterRevocation = await partner.SendAsync(HttpMethod.Post, "/api/partner/v1/licenses/verify", new { document });
        var revoked = await PartnerClient.ReadAsync(afterRevocation);
        Assert.True(revoked.GetProperty("outcome").GetString() == "revoked", revoked.ToString());
    }

    private static async Task<List<JsonElement>> SyncAsync(PlatformProcess platform) =>
        [.. (await FederatedPlatforms.AsUserAsync(platform, "admin", HttpMethod.Post, "/api/exchange/admin/trust/sync")).EnumerateArray()];

    private static async Task<List<JsonElement>> TrustListAsync(PlatformProcess platform)
    {
        using var response = await platform.Gateway.GetAsync("/api/licenses/public/trust-list");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return [.. JsonDocument.Parse(Encoding.UTF8.GetBytes(text)).RootElement.EnumerateArray().Select(e => e.Clone())];
    }
}
