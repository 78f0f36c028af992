using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Songjiang.Licenses.Tests.Support;
using Songjiang.Testing;

namespace Songjiang.Licenses.Tests.Verification;

/// <summary>
/// A licence another G60 city issued to one of our enterprises (收受分离) is recorded by the platform service account
/// only after it verifies through the trust list; it then appears in the holder's list with the issuing city.
/// </summary>
public sealed class PartnerLicenceRecordingTests(LicensesFixture platform)
{
    private Task<PartnerIssuer> TrustedPartnerAsync() =>
        platform.TrustAsync(new PartnerIssuer("11330400MB1C8F4D2K", "嘉兴市人力资源和社会保障局", "330400"));

    private static JsonObject HeldBy(JsonObject licence, string uscc)
    {
        licence["holder"]!["identifier"] = uscc;
        licence["holder"]!["name"] = "上海松江智算科技有限公司";
        return licence;
    }

    private async Task<HttpResponseMessage> RecordAsync(object body, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/licenses/partner-licences") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? await ServiceTokenAsync());
        return await platform.Gateway.SendAsync(request);
    }

    private async Task<string> ServiceTokenAsync()
    {
        using var response = await PlatformFixture.RequestTokenAsync(platform.Gateway,
            ("grant_type", "client_credentials"), ("client_id", "songjiang-services"), ("client_secret", "demo-services-secret"), ("scope", "api"));
        return await PlatformFixture.AccessTokenOf(response);
    }

    private async Task<List<JsonElement>> ListAsync(string user)
    {
        using var response = await platform.SendAsync(HttpMethod.Get, "/api/licenses?pageSize=100", user);
        return [.. (await PlatformFixture.JsonOf(response)).GetProperty("items").EnumerateArray().Select(e => e.Clone())];
    }

    [Fact]
    public async Task A_trusted_partner_licence_is_recorded_once_and_listed_for_its_holder_with_the_city()
    {
        var partner = await TrustedPartnerAsync();
        var licence = HeldBy(partner.Licence(PartnerIssuer.Today.AddDays(-1), PartnerIssuer.Today.AddYears(3)), LicensesFixture.Zhisuan);
        var number = licence["licenceNumber"]!.GetValue<string>();
        var document = JsonDocument.Parse(partner.Seal(licence)).RootElement;

        using (var created = await RecordAsync(new { document, applicationNumber = "SJ20260001" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var body = await PlatformFixture.JsonOf(created);
            Assert.Equal("嘉兴市", body.GetProperty("issuingCityName").GetString());
        }
        using (var again = await RecordAsync(new { document, applicationNumber = "SJ20260001" }))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        var listed = (await ListAsync("ent-zhisuan")).Where(l => l.GetProperty("number").GetString() == number).ToList();
        var single = Assert.Single(listed);
        Assert.Equal("330400", single.GetProperty("issuingCity").GetString());
        Assert.Equal("嘉兴市", single.GetProperty("issuingCityName").GetString());
        Assert.Equal("active", single.GetProperty("status").GetString());
        Assert.DoesNotContain(await ListAsync("ent-g60bio"), l => l.GetProperty("number").GetString() == number);
    }

    [Fact]
    public async Task A_recorded_partner_licence_its_issuer_revokes_leaves_the_holders_active_licences_and_is_listed_as_revoked()
    {
        var partner = await TrustedPartnerAsync();
        await using var lists = await PartnerStatusListServer.StartAsync(partner);
        var licence = PartnerIssuer.WithStatus(
            HeldBy(partner.Licence(PartnerIssuer.Today.AddDays(-1), PartnerIssuer.Today.AddYears(3)), LicensesFixture.Zhisuan), 11, lists.RevocationList, lists.SuspensionList);
        var number = licence["licenceNumber"]!.GetValue<string>();
        using (var created = await RecordAsync(new { document = JsonDocument.Parse(partner.Seal(licence)).RootElement, applicationNumber = "SJ20260002" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        async Task<List<JsonElement>> HeldAsync(string status)
        {
            using var response = await platform.SendAsync(HttpMethod.Get, $"/api/licenses?holder={LicensesFixture.Zhisuan}{status}&pageSize=100", "ent-zhisuan");
            return [.. (await PlatformFixture.JsonOf(response)).GetProperty("items").EnumerateArray().Where(l => l.GetProperty("number").GetString() == number).Select(e => e.Clone())];
        }
        Assert.Single(await HeldAsync("&status=active"));

        // Jiaxing revokes it: it no longer proves a material here (the cases service asks for active licences).
        lists.Revoke(11);
        Assert.Empty(await HeldAsync("&status=active"));
        var revoked = Assert.Single(await HeldAsync("&status=revoked"));
        Assert.Contains("吊销清单", revoked.GetProperty("statusReason").GetString(), StringComparison.Ordinal);
        Assert.Equal("revoked", Assert.Single(await HeldAsync("")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_document_that_does_not_verify_is_refused_and_nothing_is_stored()
    {
        var partner = await TrustedPartnerAsync();
        var licence = HeldBy(partner.Licence(PartnerIssuer.Today, PartnerIssuer.Today.AddYears(1)), LicensesFixture.Zhisuan);
        var number = licence["licenceNumber"]!.GetValue<string>();
        var sealedText = partner.Seal(licence);
        var tampered = JsonNode.Parse(sealedText)!;
        tampered["licence"]!["validUntil"] = PartnerIssuer.Today.AddYears(50).ToString("yyyy-MM-dd");
        var stranger = new PartnerIssuer("11340100MB0000001A", "合肥市某局", "340100");
        var unknown = HeldBy(stranger.Licence(PartnerIssuer.Today, PartnerIssuer.Today.AddYears(1)), LicensesFixture.Zhisuan);

        foreach (var body in new object[]
        {
            new { document = tampered },
            new { document = JsonNode.Parse(stranger.Seal(unknown)) },
            new { document = "not a document" },
            new { },
        })
        {
            using var refused = await RecordAsync(body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }
        Assert.DoesNotContain(await ListAsync("ent-zhisuan"), l => l.GetProperty("number").GetString() == number
            || l.GetProperty("number").GetString() == unknown["licenceNumber"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("ent-zhisuan")]
    [InlineData("admin")]
    public async Task Only_the_platform_service_account_records_partner_licences(string user)
    {
        var partner = await TrustedPartnerAsync();
        var licence = HeldBy(partner.Licence(PartnerIssuer.Today, PartnerIssuer.Today.AddYears(1)), LicensesFixture.Zhisuan);
        var number = licence["licenceNumber"]!.GetValue<string>();

        using var forbidden = await RecordAsync(new { document = JsonNode.Parse(partner.Seal(licence)) }, await platform.TokenAsync(user));

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.DoesNotContain(await ListAsync("ent-zhisuan"), l => l.GetProperty("number").GetString() == number);
    }
}
