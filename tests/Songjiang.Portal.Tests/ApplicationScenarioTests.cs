using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Songjiang.Testing;

namespace Songjiang.Portal.Tests;

/// <summary>
/// The portal in a real browser, the way its people use it: an enterprise applies, a window clerk asks for a
/// correction, the enterprise corrects, the department approves, and the licence's QR code opens its public check.
/// Every page on the way is checked with axe-core and photographed.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed partial class ApplicationScenarioTests(PortalFixture portal)
{
    private const string Enterprise = "ent-g60bio";
    private const string EnterpriseName = "上海G60生物医药有限公司";

    [Fact]
    public async Task Enterprise_applies_corrects_and_gets_a_licence_that_anyone_can_check()
    {
        await IssueBusinessLicenceAsync();

        // The enterprise signs in and lands in its hall.
        var enterprise = await portal.SignedInAsync(Enterprise);
        await Expect(enterprise.Locator("h1")).ToHaveTextAsync("企业服务大厅");
        await portal.CheckPageAsync(enterprise, "01-enterprise-hall");

        // It finds the matter in the catalog and opens the form generated from the matter's schema.
        await enterprise.GotoAsync(portal.Url("/matters?q=" + Uri.EscapeDataString("食品经营")));
        await portal.CheckPageAsync(enterprise, "02-matter-catalog");
        await enterprise.GetByRole(AriaRole.Link, new() { Name = "食品经营许可" }).ClickAsync();
        await enterprise.GetByRole(AriaRole.Link, new() { Name = "在线申请" }).ClickAsync();
        await Expect(enterprise.Locator("h1")).ToHaveTextAsync("在线申请：食品经营许可");

        // The business licence it holds stands in for that material (减材料): no upload is asked for it.
        await Expect(enterprise.Locator(".proven")).ToContainTextAsync("营业执照");
        await Expect(enterprise.Locator("#m-licence")).Not.ToHaveAttributeAsync("type", "file");
        await portal.CheckPageAsync(enterprise, "03-apply-form");

        await enterprise.GetByLabel("经营场所 *").FillAsync("上海市松江区新桥镇新格路8号");
        await enterprise.GetByLabel("预包装食品销售").CheckAsync();
        await enterprise.GetByLabel("经营面积（平方米）").FillAsync("120");
        foreach (var material in new[] { "application", "layout", "safety-rules" })
        {
            await enterprise.Locator("#m-" + material).SetInputFilesAsync(Pdf(material));
        }
        await enterprise.GetByRole(AriaRole.Button, new() { Name = "提交申请" }).ClickAsync();
        await enterprise.WaitForURLAsync(new Regex("/applications/SJ"));
        var number = ApplicationNumber().Match(enterprise.Url).Value;
        await Expect(enterprise.Locator("[role=status]")).ToContainTextAsync(number);
        await Expect(enterprise.Locator("body")).ToContainTextAsync("由电子证照");
        await portal.CheckPageAsync(enterprise, "04-application-detail");

        // The window clerk of market regulation claims it from the inbox and asks for a better floor plan.
        var clerk = await portal.SignedInAsync("scj-clerk");
        await clerk.GotoAsync(portal.Url("/workbench"));
        await Expect(clerk.Locator("h1")).ToHaveTextAsync("受理审批工作台");
        await Expect(clerk.Locator("[data-urgency]").First).ToBeVisibleAsync();
        await portal.CheckPageAsync(clerk, "05-workbench-inbox");
        await clerk.GetByRole(AriaRole.Button, new() { Name = $"认领办件 {number}" }).ClickAsync();
        await Expect(clerk.Locator("h1")).ToHaveTextAsync("食品经营许可");
        await Expect(clerk.Locator("body")).ToContainTextAsync("经营场所");
        await portal.CheckPageAsync(clerk, "06-task-detail");
        await clerk.GetByLabel("要求补正", new() { Exact = true }).CheckAsync();
        await clerk.GetByLabel("经营场所平面图和设备布局图").CheckAsync();
        await clerk.GetByLabel("审查意见").FillAsync("平面图不清晰，请重新上传");
        await clerk.GetByRole(AriaRole.Button, new() { Name = "提交", Exact = true }).ClickAsync();
        await clerk.WaitForURLAsync(new Regex("done=correct"));

        // The enterprise sees what is asked, with the clerk's opinion, and resubmits the plan.
        await enterprise.GotoAsync(portal.Url("/"));
        await Expect(enterprise.Locator(".ask", new() { HasText = "待补正材料" })).ToContainTextAsync("经营场所平面图和设备布局图");
        await enterprise.GotoAsync(portal.Url("/applications/" + number));
        await Expect(enterprise.GetByRole(AriaRole.Heading, new() { Name = "请补正材料" })).ToBeVisibleAsync();
        await Expect(enterprise.Locator("body")).ToContainTextAsync("平面图不清晰，请重新上传");
        await portal.CheckPageAsync(enterprise, "07-correction-requested");
        await enterprise.Locator("#r-layout").SetInputFilesAsync(Pdf("layout-v2"));
        await enterprise.GetByRole(AriaRole.Button, new() { Name = "提交补正材料" }).ClickAsync();
        await enterprise.WaitForURLAsync(new Regex("done=resubmitted"));

        // The clerk accepts; the reviewer approves.
        await ActAsync(clerk, number, "受理", null);
        var reviewer = await portal.SignedInAsync("scj-reviewer");
        await ActAsync(reviewer, number, "审批通过", "符合条件，准予许可");

        // The enterprise finds its licence on the application and opens the QR code's page without signing in.
        var licenceLink = enterprise.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^电子证照 SPJY") });
        await CaseDriver.EventuallyAsync(async () =>
        {
            await enterprise.GotoAsync(portal.Url("/applications/" + number));
            return await licenceLink.CountAsync();
        }, count => count > 0, "the licence issued on approval");
        await portal.CheckPageAsync(enterprise, "08-application-completed");
        await licenceLink.ClickAsync();
        await Expect(enterprise.Locator("h1")).ToHaveTextAsync("食品经营许可证");
        await Expect(enterprise.Locator(".qr img")).ToBeVisibleAsync();
        await portal.CheckPageAsync(enterprise, "09-licence");
        var checkUrl = await enterprise.Locator("#check-link").GetAttributeAsync("href");
        Assert.StartsWith(portal.Url("/check/"), checkUrl, StringComparison.Ordinal);

        var anyone = await portal.NewPageAsync(width: 390);
        await anyone.GotoAsync(checkUrl!);
        await Expect(anyone.Locator("#verdict-heading")).ToHaveTextAsync("有效：证照真实有效");
        await Expect(anyone.Locator(".verdict")).ToContainTextAsync(EnterpriseName);
        await Expect(anyone.Locator(".verdict")).ToContainTextAsync("上海市松江区市场监督管理局");
        await portal.CheckPageAsync(anyone, "10-public-licence-check-phone");
    }

    private async Task ActAsync(IPage caseworker, string number, string action, string? opinion)
    {
        await caseworker.GotoAsync(portal.Url("/workbench?claimed=none"));
        await caseworker.GetByRole(AriaRole.Button, new() { Name = $"认领办件 {number}" }).ClickAsync();
        await caseworker.GetByLabel(action, new() { Exact = true }).CheckAsync();
        if (opinion is not null)
        {
            await caseworker.GetByLabel("审查意见").FillAsync(opinion);
        }
        await caseworker.GetByRole(AriaRole.Button, new() { Name = "提交", Exact = true }).ClickAsync();
        await caseworker.WaitForURLAsync(new Regex("done="));
        await Expect(caseworker.Locator("[role=status]")).ToBeVisibleAsync();
    }

    private async Task IssueBusinessLicenceAsync() =>
        await portal.Cases.ExpectAsync(HttpStatusCode.Created, "scj-approver", HttpMethod.Post, "/api/licenses", new
        {
            typeCode = "business-licence",
            holder = new { name = EnterpriseName, uscc = CaseDriver.G60Bio },
            fields = new
            {
                legalRepresentative = "李华", entityType = "有限责任公司", registeredCapitalTenThousandYuan = 3000,
                establishedOn = "2019-06-18", address = "上海市松江区新桥镇新格路8号", businessScope = "生物医药技术开发；食品销售",
            },
        });

    private static FilePayload Pdf(string name) => new() { Name = name + ".pdf", MimeType = "application/pdf", Buffer = CaseDriver.Pdf };

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    [GeneratedRegex(@"SJ\d{8}-\d{6}")]
    private static partial Regex ApplicationNumber();
}
