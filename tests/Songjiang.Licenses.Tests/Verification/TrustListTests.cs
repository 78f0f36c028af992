using Songjiang.Licenses.Tests.Apis;
using Songjiang.Licenses.Tests.Support;
using Songjiang.Testing;
using System.Net;

namespace Songjiang.Licenses.Tests.Verification;

public sealed class TrustListTests(LicensesFixture platform)
{
    private Task<PartnerIssuer> TrustedPartnerAsync(DateTimeOffset? validFrom = null, DateTimeOffset? validUntil = null) =>
        platform.TrustAsync(new PartnerIssuer("11330400MB1C8F4D2K", "嘉兴市市场监督管理局", "330400"), validFrom, validUntil);

    [Fact]
    public async Task A_licence_sealed_in_jiaxing_verifies_here_once_its_key_is_trusted()
    {
        var partner = await TrustedPartnerAsync();

        var answer = await platform.VerifyDocumentAsync(partner.Seal(partner.Licence(PartnerIssuer.Today.AddDays(-10), PartnerIssuer.Today.AddYears(5))));

        Assert.Equal("valid", LicensesFixture.OutcomeOf(answer));
        Assert.Equal("trust-list", answer.GetProperty("keySource").GetString());
        using var list = await platform.SendAsync(HttpMethod.Get, "/api/licenses/public/trust-list", null);
        Assert.Contains((await PlatformFixture.JsonOf(list)).EnumerateArray(), e => e.GetProperty("kid").GetString() == partner.KeyId);
    }

    [Fact]
    public async Task A_partner_licence_past_its_last_day_is_expired()
    {
        var partner = await TrustedPartnerAsync();

        var answer = await platform.VerifyDocumentAsync(partner.Seal(partner.Licence(PartnerIssuer.Today.AddYears(-5), PartnerIssuer.Today.AddDays(-1))));

        Assert.Equal("expired", LicensesFixture.OutcomeOf(answer));
    }

    [Fact]
    public async Task A_licence_of_an_issuer_nobody_trusts_is_an_unknown_issuer()
    {
        var stranger = new PartnerIssuer("11340100MB0000001A", "合肥市某局", "340100");

        var answer = await platform.VerifyDocumentAsync(stranger.Seal(stranger.Licence(PartnerIssuer.Today, PartnerIssuer.Today.AddYears(1))));

        Assert.Equal("unknown-issuer", LicensesFixture.OutcomeOf(answer));
    }

    [Fact]
    public async Task When_trust_ends_the_issuer_becomes_unknown()
    {
        var partner = await TrustedPartnerAsync();
        var document = partner.Seal(partner.Licence(PartnerIssuer.Today, PartnerIssuer.Today.AddYears(1)));
        Assert.Equal("valid", LicensesFixture.OutcomeOf(await platform.VerifyDocumentAsync(document)));

        using var ended = await platform.SendAsync(HttpMethod.Put, $"/api/licenses/trust-list/{partner.KeyId}", "admin",
            new { validFrom = DateTimeOffset.UtcNow.AddDays(-30), validUntil = DateTimeOffset.UtcNow.AddMinutes(-1) });

        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        var answer = await platform.VerifyDocumentAsync(document);
        Assert.Equal("unknown-issuer", LicensesFixture.OutcomeOf(answer));
        Assert.Contains("当前不在信任期内", answer.GetProperty("reasons")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_partner_key_cannot_seal_for_one_of_our_authorities()
    {
        var partner = await TrustedPartnerAsync();

        var answer = await platform.VerifyDocumentAsync(partner.Seal(
            partner.Licence(PartnerIssuer.Today, PartnerIssuer.Today.AddYears(1), issuerCode: LicensesFixture.MarketRegulation)));

        Assert.Equal("invalid", LicensesFixture.OutcomeOf(answer));
    }

    [Theory]
    [InlineData("scj-approver")]
    [InlineData("ent-zhisuan")]
    public async Task Only_an_administrator_manages_the_trust_list(string user)
    {
        var partner = new PartnerIssuer("11330400MB1C8F4D2K", "嘉兴市市场监督管理局", "330400");

        using var response = await platform.SendAsync(HttpMethod.Post, "/api/licenses/trust-list", user, partner.TrustRequest());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_trust_entry_with_a_bad_key_city_or_period_is_a_400_problem_naming_the_field()
    {
        var partner = new PartnerIssuer("11330400MB1C8F4D2K", "嘉兴市市场监督管理局", "330400");
        using var rsa = System.Security.Cryptography.RSA.Create(2048);

        using var badKey = await platform.SendAsync(HttpMethod.Post, "/api/licenses/trust-list", "admin",
            new { issuerCode = partner.Code, issuerName = partner.Name, cityCode = "330400", publicKeyPem = rsa.ExportSubjectPublicKeyInfoPem() });
        using var badCity = await platform.SendAsync(HttpMethod.Post, "/api/licenses/trust-list", "admin",
            new { issuerCode = partner.Code, issuerName = partner.Name, cityCode = "110000", publicKeyPem = partner.PublicKeyPem });
        using var badPeriod = await platform.SendAsync(HttpMethod.Post, "/api/licenses/trust-list", "admin",
            partner.TrustRequest(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(-1)));

        await IssuanceTests.AssertProblem(badKey, HttpStatusCode.BadRequest, "publicKeyPem");
        await IssuanceTests.AssertProblem(badCity, HttpStatusCode.BadRequest, "cityCode");
        await IssuanceTests.AssertProblem(badPeriod, HttpStatusCode.BadRequest, "validUntil");
    }
}
