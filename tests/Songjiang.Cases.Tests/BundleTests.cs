using Songjiang.Testing;
using System.Net;
using Songjiang.Cases.Tests.Support;

namespace Songjiang.Cases.Tests;

/// <summary>企业开办一件事 through the gateway: one application, a child case per matter in each department's work list.</summary>
public sealed class BundleTests(CasesPlatform platform) : IClassFixture<CasesPlatform>
{
    private readonly CaseDriver _cases = new(platform);

    internal static object StartUpForm(string companyName) => new
    {
        companyName,
        legalRepresentative = "张敏",
        registeredAddress = "上海市松江区新桥镇莘砖公路668号",
        registeredCapital = 500,
        businessScope = "软件开发；信息技术咨询服务",
        sealTypes = new[] { "公章", "财务专用章" },
        financialContact = "王静",
        employees = 12,
        bankName = "上海农商银行松江支行",
        industryCode = "I6513",
        location = "xinqiao",
    };

    [Fact]
    public async Task Enterprise_start_up_bundle_fans_out_to_departments_and_completes_when_every_matter_is_done()
    {
        var materials = await _cases.UploadAllAsync("ent-zhisuan",
            "application", "articles", "identity", "premises", "finance-identity", "registration-form");
        var submitted = await _cases.SubmitAsync("ent-zhisuan", new
        {
            bundleCode = "YJS-QYKB",
            form = StartUpForm("上海松江云启软件有限公司"),
            materials,
        });
        var number = submitted.GetProperty("summary").GetProperty("number").GetString()!;
        Assert.Equal("in-progress", submitted.GetProperty("summary").GetProperty("status").GetString());
        var children = submitted.GetProperty("children").EnumerateArray().ToList();
        Assert.Equal(["SJ-SCJ-001", "SJ-GA-001", "SJ-SW-001", "SJ-RS-001", "SJ-YH-001"], children.Select(c => c.GetProperty("matterCode").GetString()));

        // The business licence the establishment will issue stands in for the other matters' licence material.
        var seal = await _cases.ApplicationAsync("ent-zhisuan", children[1].GetProperty("number").GetString()!);
        var licence = seal.GetProperty("materials").EnumerateArray().Single(m => m.GetProperty("code").GetString() == "licence");
        Assert.Equal("bundle", licence.GetProperty("source").GetString());
        var identity = seal.GetProperty("materials").EnumerateArray().Single(m => m.GetProperty("code").GetString() == "identity");
        Assert.Equal(64, identity.GetProperty("sha256").GetString()!.Length);

        // The establishment comes first: until the company exists only the market-regulation window has a task.
        var establishmentTask = Assert.Single(await _cases.TasksAsync("scj-clerk", number));
        Assert.Equal("SJ-SCJ-001", establishmentTask.GetProperty("matterCode").GetString());
        foreach (var clerk in new[] { "ga-clerk", "tax-clerk", "hr-clerk", "bank-clerk" })
        {
            Assert.Empty(await _cases.TasksAsync(clerk, number));
        }
        await _cases.ActAsync("scj-clerk", number, "accept");
        await _cases.ActAsync("scj-reviewer", number, "approve", "材料齐全，符合法定形式，准予设立登记。");
        var midway = await _cases.ApplicationAsync("ent-zhisuan", number);
        Assert.Equal("in-progress", midway.GetProperty("summary").GetProperty("status").GetString());
        Assert.Equal(1, midway.GetProperty("children").EnumerateArray().Count(c => c.GetProperty("status").GetString() == "completed"));

        // Then the seal, tax, social-insurance and bank matters open together, each in its own department's window.
        foreach (var (clerk, matter) in new[] { ("ga-clerk", "SJ-GA-001"), ("tax-clerk", "SJ-SW-001"), ("hr-clerk", "SJ-RS-001"), ("bank-clerk", "SJ-YH-001") })
        {
            var task = Assert.Single(await _cases.TasksAsync(clerk, number));
            Assert.Equal(matter, task.GetProperty("matterCode").GetString());
            Assert.Equal("accept", task.GetProperty("step").GetString());
            Assert.True(task.GetProperty("remainingWorkingDays").GetInt32() >= 0);
        }
        Assert.Empty(await _cases.TasksAsync("scj-clerk", number));

        // Registrations complete on acceptance.
        foreach (var clerk in new[] { "ga-clerk", "tax-clerk", "hr-clerk", "bank-clerk" })
        {
            await _cases.ActAsync(clerk, number, "accept");
        }

        var done = await _cases.ApplicationAsync("ent-zhisuan", number);
        Assert.Equal("completed", done.GetProperty("summary").GetProperty("status").GetString());
        Assert.Equal("approved", done.GetProperty("summary").GetProperty("outcome").GetString());
        Assert.Equal("rate", done.GetProperty("ask").GetProperty("action").GetString());

        // The approval travels to the enterprise register, which mints the new enterprise's code and registers it (设立);
        // the application shows the code the register announced.
        var establishment = await CaseDriver.EventuallyAsync(
            () => _cases.ApplicationAsync("ent-zhisuan", children[0].GetProperty("number").GetString()!),
            view => view.TryGetProperty("assignedUscc", out var code) && code.ValueKind == System.Text.Json.JsonValueKind.String, "the code the register assigned");
        var assigned = establishment.GetProperty("assignedUscc").GetString()!;
        Assert.StartsWith("91310117MA", assigned, StringComparison.Ordinal);
        Assert.True(Songjiang.SharedKernel.UnifiedSocialCreditCode.TryParse(assigned, out _, out var invalid), invalid);
        var profile = await CaseDriver.EventuallyAsync(
            async () => (await _cases.SendAsync("scj-reviewer", HttpMethod.Get, $"/api/enterprises/{assigned}")).StatusCode,
            status => status == HttpStatusCode.OK, "the enterprise created from the approval");
        Assert.Equal(HttpStatusCode.OK, profile);

        // The licences service issues the new enterprise its electronic business licence on the same approval.
        var licences = await CaseDriver.EventuallyAsync(
            () => _cases.ExpectAsync(HttpStatusCode.OK, "scj-approver", HttpMethod.Get, $"/api/licenses?holder={assigned}"),
            page => page.GetProperty("total").GetInt32() == 1, "the business licence issued on the approval");
        var issued = licences.GetProperty("items")[0];
        Assert.Equal("business-licence", issued.GetProperty("typeCode").GetString());
        Assert.Equal(children[0].GetProperty("number").GetString(), issued.GetProperty("applicationId").GetString());
        Assert.Equal("上海松江云启软件有限公司", issued.GetProperty("holderName").GetString());

        // …and the applicant sees it as the bundle's result, with where to verify it.
        var result = await CaseDriver.EventuallyAsync(
            () => _cases.ApplicationAsync("ent-zhisuan", number),
            view => view.GetProperty("results").GetArrayLength() == 1, "the licence recorded as the result");
        Assert.Equal(issued.GetProperty("number").GetString(), result.GetProperty("results")[0].GetProperty("licenceNumber").GetString());
        using var verified = await platform.Gateway.GetAsync(result.GetProperty("results")[0].GetProperty("verificationPath").GetString());
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);

        // The person who registered the company may act for it: a fresh token carries the new code, with which they
        // read the company's profile and its licence; another enterprise still cannot.
        var licenceNumber = issued.GetProperty("number").GetString()!;
        var registrant = await CaseDriver.EventuallyAsync(
            async () =>
            {
                var token = await platform.UserTokenAsync("ent-zhisuan");
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/licenses/{licenceNumber}");
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                using var response = await platform.Gateway.SendAsync(request);
                return (token, response.StatusCode);
            },
            r => r.StatusCode == HttpStatusCode.OK, "the registrant reading the new company's licence");
        using (var profileRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/enterprises/{assigned}"))
        {
            profileRequest.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", registrant.token);
            using var own = await platform.Gateway.SendAsync(profileRequest);
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        }
        using (var listRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/licenses?holder={assigned}"))
        {
            listRequest.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", registrant.token);
            using var list = await platform.Gateway.SendAsync(listRequest);
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        }
        using (var stranger = await _cases.SendAsync("ent-g60bio", HttpMethod.Get, $"/api/licenses/{licenceNumber}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
        }
        using (var strangerProfile = await _cases.SendAsync("ent-g60bio", HttpMethod.Get, $"/api/enterprises/{assigned}"))
        {
            Assert.True(strangerProfile.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"got {strangerProfile.StatusCode}");
        }

        // The timeline tells the whole story, children included.
        var timeline = await _cases.ExpectAsync(HttpStatusCode.OK, "ent-zhisuan", HttpMethod.Get, $"/api/cases/applications/{number}/timeline");
        var events = timeline.EnumerateArray().Select(e => e.GetProperty("event").GetString()).ToList();
        Assert.Equal(6, events.Count(e => e == "submitted"));
        Assert.Equal(5, events.Count(e => e == "accept"));
        Assert.Contains("approve", events);
        Assert.Contains("completed", events);
    }
}
