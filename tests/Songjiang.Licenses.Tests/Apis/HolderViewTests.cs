using Songjiang.Licenses.Tests.Support;
using Songjiang.Testing;
using System.Net;

namespace Songjiang.Licenses.Tests.Apis;

public sealed class HolderViewTests(LicensesFixture platform)
{
    [Fact]
    public async Task An_enterprise_lists_only_its_own_licences()
    {
        var own = await platform.IssueBusinessLicenceAsync(LicensesFixture.Zhisuan, "上海松江智算科技有限公司");
        var others = await platform.IssueBusinessLicenceAsync(LicensesFixture.G60Bio, "上海G60生物医药有限公司");

        using var response = await platform.SendAsync(HttpMethod.Get, "/api/licenses?pageSize=100", "ent-zhisuan");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = (await PlatformFixture.JsonOf(response)).GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(items, i => i.GetProperty("number").GetString() == own);
        Assert.DoesNotContain(items, i => i.GetProperty("number").GetString() == others);
        Assert.All(items, i => Assert.Equal(LicensesFixture.Zhisuan, i.GetProperty("holderUscc").GetString()));
    }

    [Fact]
    public async Task An_enterprise_cannot_read_another_enterprises_licence()
    {
        var others = await platform.IssueBusinessLicenceAsync(LicensesFixture.G60Bio, "上海G60生物医药有限公司");

        using var detail = await platform.SendAsync(HttpMethod.Get, $"/api/licenses/{others}", "ent-zhisuan");
        using var document = await platform.SendAsync(HttpMethod.Get, $"/api/licenses/{others}/document", "ent-zhisuan");
        using var print = await platform.SendAsync(HttpMethod.Get, $"/api/licenses/{others}/print", "ent-zhisuan");
        using var filtered = await platform.SendAsync(HttpMethod.Get, $"/api/licenses?holder={LicensesFixture.G60Bio}", "ent-zhisuan");
        using var ownerView = await platform.SendAsync(HttpMethod.Get, $"/api/licenses/{others}", "ent-g60bio");

        await IssuanceTests.AssertProblem(detail, HttpStatusCode.NotFound, null);
        await IssuanceTests.AssertProblem(document, HttpStatusCode.NotFound, null);
        await IssuanceTests.AssertProblem(print, HttpStatusCode.NotFound, null);
        await IssuanceTests.AssertProblem(filtered, HttpStatusCode.Forbidden, null);
        Assert.Equal(HttpStatusCode.OK, ownerView.StatusCode);
    }

    [Fact]
    public async Task A_caseworker_lists_the_licences_of_its_own_authority()
    {
        var number = await platform.IssueBusinessLicenceAsync();

        using var own = await platform.SendAsync(HttpMethod.Get, "/api/licenses?type=business-licence&pageSize=100", "scj-reviewer");
        using var other = await platform.SendAsync(HttpMethod.Get, "/api/licenses?pageSize=100", "hr-approver");
        using var partner = await platform.Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/licenses")
        {
            Headers = { Authorization = new("Bearer", await platform.CityTokenAsync("330400")) },
        });

        Assert.Contains((await PlatformFixture.JsonOf(own)).GetProperty("items").EnumerateArray(), i => i.GetProperty("number").GetString() == number);
        Assert.DoesNotContain((await PlatformFixture.JsonOf(other)).GetProperty("items").EnumerateArray(), i => i.GetProperty("number").GetString() == number);
        Assert.Equal(HttpStatusCode.Forbidden, partner.StatusCode);
    }

    [Fact]
    public async Task Listing_needs_a_token_and_a_sane_page()
    {
        using var anonymous = await platform.SendAsync(HttpMethod.Get, "/api/licenses", null);
        using var badPage = await platform.SendAsync(HttpMethod.Get, "/api/licenses?pageSize=1000", "ent-zhisuan");
        using var badStatus = await platform.SendAsync(HttpMethod.Get, "/api/licenses?status=lost", "admin");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        await IssuanceTests.AssertProblem(badPage, HttpStatusCode.BadRequest, "pageSize");
        await IssuanceTests.AssertProblem(badStatus, HttpStatusCode.BadRequest, "status");
    }

    [Fact]
    public async Task The_printable_page_carries_the_verification_url_and_its_qr_code()
    {
        var number = await platform.IssueBusinessLicenceAsync();

        using var response = await platform.SendAsync(HttpMethod.Get, $"/api/licenses/{number}/print", "ent-zhisuan");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        var verificationUrl = $"{platform.Host.GatewayUri.ToString().TrimEnd('/')}/api/licenses/public/verify/{number}";
        Assert.Contains(verificationUrl, html, StringComparison.Ordinal);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains("营业执照", html, StringComparison.Ordinal);
        Assert.Contains("上海市松江区市场监督管理局", html, StringComparison.Ordinal);

        // The address in the QR code answers without a token.
        using var verify = await platform.Gateway.GetAsync(new Uri(verificationUrl).PathAndQuery);
        Assert.Equal("valid", LicensesFixture.OutcomeOf(await PlatformFixture.JsonOf(verify)));
    }
}
