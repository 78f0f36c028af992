using Songjiang.Licenses.Tests.Support;

namespace Songjiang.Licenses.Tests.Verification;

/// <summary>
/// A partner city's licence is checked against the revocation and suspension lists its issuer names in it: a
/// licence revoked or suspended in Jiaxing is not valid in Songjiang.
/// </summary>
public sealed class PartnerStatusTests(LicensesFixture platform)
{
    private Task<PartnerIssuer> TrustedPartnerAsync() =>
        platform.TrustAsync(new PartnerIssuer("11330400MB1C8F4D2K", "嘉兴市市场监督管理局", "330400"));

    private static string Reasons(System.Text.Json.JsonElement answer) =>
        string.Join(" ", answer.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));

    [Fact]
    public async Task A_partner_licence_revoked_or_suspended_by_its_issuer_is_so_here_and_one_in_force_says_its_list_was_checked()
    {
        var partner = await TrustedPartnerAsync();
        await using var lists = await PartnerStatusListServer.StartAsync(partner);
        var (from, until) = (PartnerIssuer.Today.AddDays(-10), PartnerIssuer.Today.AddYears(5));
        string Licence(int index) => partner.Seal(PartnerIssuer.WithStatus(partner.Licence(from, until), index, lists.RevocationList, lists.SuspensionList));
        var (inForce, revoked, suspended) = (Licence(7), Licence(5), Licence(6));

        Assert.Equal("valid", LicensesFixture.OutcomeOf(await platform.VerifyDocumentAsync(revoked)));
        lists.Revoke(5);
        lists.Suspend(6);

        var answer = await platform.VerifyDocumentAsync(revoked);
        Assert.Equal("revoked", LicensesFixture.OutcomeOf(answer));
        Assert.Contains("吊销清单", Reasons(answer), StringComparison.Ordinal);
        Assert.Equal("suspended", LicensesFixture.OutcomeOf(await platform.VerifyDocumentAsync(suspended)));
        answer = await platform.VerifyDocumentAsync(inForce);
        Assert.Equal("valid", LicensesFixture.OutcomeOf(answer));
        Assert.Contains("未被吊销或暂停", Reasons(answer), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_issuers_lists_are_down_the_last_copy_answers_and_without_one_the_answer_says_the_status_is_unverified()
    {
        var partner = await TrustedPartnerAsync();
        await using var lists = await PartnerStatusListServer.StartAsync(partner);
        var (from, until) = (PartnerIssuer.Today.AddDays(-10), PartnerIssuer.Today.AddYears(5));
        var revoked = partner.Seal(PartnerIssuer.WithStatus(partner.Licence(from, until), 9, lists.RevocationList, lists.SuspensionList));
        lists.Revoke(9);
        Assert.Equal("revoked", LicensesFixture.OutcomeOf(await platform.VerifyDocumentAsync(revoked)));

        // The lists go down: the copy fetched before still says revoked.
        lists.Down = true;
        var asked = lists.Requests;
        Assert.Equal("revoked", LicensesFixture.OutcomeOf(await platform.VerifyDocumentAsync(revoked)));
        Assert.True(lists.Requests > asked);

        // Lists never reached: the seal and dates decide, and the reasons say the status was not verified.
        await using var unreachable = await PartnerStatusListServer.StartAsync(partner);
        unreachable.Down = true;
        var answer = await platform.VerifyDocumentAsync(partner.Seal(PartnerIssuer.WithStatus(partner.Licence(from, until), 3, unreachable.RevocationList)));
        Assert.Equal("valid", LicensesFixture.OutcomeOf(answer));
        Assert.Contains("未能核验", Reasons(answer), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_status_list_unsealed_sealed_by_another_city_or_altered_in_transit_is_not_believed()
    {
        var partner = await TrustedPartnerAsync();
        var hangzhou = await platform.TrustAsync(new PartnerIssuer("11330100MB0F2A3C7P", "杭州市市场监督管理局", "330100"));
        var (from, until) = (PartnerIssuer.Today.AddDays(-10), PartnerIssuer.Today.AddYears(5));

        // Each list revokes the licence; believed, it would make the licence revoked.
        async Task<System.Text.Json.JsonElement> VerifyAsync(Action<PartnerStatusListServer> serve)
        {
            await using var lists = await PartnerStatusListServer.StartAsync(partner);
            lists.Revoke(4);
            serve(lists);
            return await platform.VerifyDocumentAsync(partner.Seal(PartnerIssuer.WithStatus(partner.Licence(from, until), 4, lists.RevocationList)));
        }

        Assert.Equal("revoked", LicensesFixture.OutcomeOf(await VerifyAsync(_ => { })));
        foreach (var (serve, what) in new (Action<PartnerStatusListServer>, string)[]
        {
            (lists => lists.Sealer = null, "unsealed"),
            (lists => lists.Sealer = hangzhou, "sealed by a trusted key of another city"),
            (lists => lists.Sealer = new PartnerIssuer(partner.Code, partner.Name, partner.CityCode), "sealed by a key the trust list does not hold"),
        })
        {
            var answer = await VerifyAsync(serve);
            Assert.True(LicensesFixture.OutcomeOf(answer) == "valid", $"a list {what} was believed");
            Assert.Contains("未能核验", Reasons(answer), StringComparison.Ordinal);
        }

        // Altered in transit after a good copy: the good copy still answers, so the revocation cannot be hidden.
        await using var tampered = await PartnerStatusListServer.StartAsync(partner);
        tampered.Revoke(8);
        var revoked = partner.Seal(PartnerIssuer.WithStatus(partner.Licence(from, until), 8, tampered.RevocationList));
        Assert.Equal("revoked", LicensesFixture.OutcomeOf(await platform.VerifyDocumentAsync(revoked)));
        tampered.Tampered = true;
        var asked = tampered.Requests;
        Assert.Equal("revoked", LicensesFixture.OutcomeOf(await platform.VerifyDocumentAsync(revoked)));
        Assert.True(tampered.Requests > asked);
    }

    [Fact]
    public async Task A_partner_licence_that_names_no_status_list_says_its_status_cannot_be_checked_online()
    {
        var partner = await TrustedPartnerAsync();

        var answer = await platform.VerifyDocumentAsync(partner.Seal(partner.Licence(PartnerIssuer.Today, PartnerIssuer.Today.AddYears(1))));

        Assert.Equal("valid", LicensesFixture.OutcomeOf(answer));
        Assert.Contains("无法在线核验", Reasons(answer), StringComparison.Ordinal);
    }
}
