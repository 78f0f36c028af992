using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Songjiang.Testing;

namespace Songjiang.Portal.Tests;

/// <summary>
/// The newer parts of the portal in the browser: 代办 at the window with the enterprise's power of attorney and the
/// case's workflow drawn with its current step, live notifications through the portal's relay, and the policy desk's
/// "try it" panel with the count of enterprises a draft would newly reach. Every page is checked with axe-core.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed partial class WorkbenchAndDeskTests(PortalFixture portal)
{
    [Fact]
    public async Task A_window_clerk_files_for_an_enterprise_with_its_power_of_attorney_and_sees_the_case_drawn_at_its_step()
    {
        var clerk = await portal.SignedInAsync("hr-clerk");
        await clerk.GotoAsync(portal.Url("/matters/SJ-RS-003"));
        await clerk.GetByRole(AriaRole.Link, new() { Name = "窗口代办" }).ClickAsync();
        await Expect(clerk.Locator("h1")).ToHaveTextAsync("窗口代办：用人单位招用人员就业登记");
        await portal.CheckPageAsync(clerk, "60-window-filing");

        await clerk.GetByLabel("申请企业统一社会信用代码 *").FillAsync(CaseDriver.Zhisuan);
        await clerk.GetByLabel("申请企业名称 *").FillAsync("上海松江智算科技有限公司");
        await clerk.GetByLabel("统一社会信用代码 *", new() { Exact = true }).FillAsync(CaseDriver.Zhisuan);
        await clerk.GetByLabel("录用人数 *").FillAsync("3");
        await clerk.GetByLabel("合同起始日 *").FillAsync("2026-12-01");
        await clerk.Locator("#m-contracts").SetInputFilesAsync(Pdf("contracts"));
        await clerk.Locator("#authorisation").SetInputFilesAsync(Pdf("authorisation"));
        // Sent with upload progress (the page's script), then the workbench says what was filed.
        await clerk.GetByRole(AriaRole.Button, new() { Name = "代办提交" }).ClickAsync();
        await Expect(clerk.Locator("[role=status]").Filter(new() { HasTextRegex = new Regex("已代办提交") })).ToBeVisibleAsync();
        var number = ApplicationNumber().Match(await clerk.Locator("[role=status]").Filter(new() { HasTextRegex = new Regex("已代办提交") }).InnerTextAsync()).Value;
        Assert.NotEmpty(number);

        // The power of attorney is kept with the case, and the case waits at the window's first step.
        var view = await portal.Cases.ApplicationAsync("hr-clerk", number);
        Assert.Contains(view.GetProperty("materials").EnumerateArray(), m => m.GetProperty("code").GetString() == "authorisation");

        await clerk.GotoAsync(portal.Url("/workbench?claimed=none"));
        await clerk.GetByRole(AriaRole.Button, new() { Name = $"认领办件 {number}" }).ClickAsync();
        var graph = clerk.Locator("figure.workflow-graph");
        await Expect(graph.Locator("svg[role=img]")).ToBeVisibleAsync();
        await Expect(graph.Locator("[data-current=true]")).ToHaveCountAsync(1);
        await Expect(graph.Locator("[data-current=true]")).ToContainTextAsync("受理");
        await Expect(graph).ToContainTextAsync("补正材料");
        await portal.CheckPageAsync(clerk, "61-task-with-workflow-graph");
    }

    [Fact]
    public async Task An_enterprises_badge_and_notifications_page_update_live_and_a_message_can_be_marked_read()
    {
        var enterprise = await portal.SignedInAsync("ent-g60bio");
        await enterprise.GotoAsync(portal.Url("/notifications"));
        await Expect(enterprise.Locator("h1")).ToHaveTextAsync("消息中心");
        await portal.CheckPageAsync(enterprise, "62-notifications");
        var before = await UnreadAsync(enterprise);

        // A rejection of one of its applications reaches the open page through the stream, without a reload.
        var cases = portal.Cases;
        var submitted = await cases.SubmitAsync("ent-g60bio", new
        {
            matterCode = "SJ-RS-003",
            form = new { uscc = CaseDriver.G60Bio, employeeCount = 2, contractStart = "2026-12-01" },
            materials = await cases.UploadAllAsync("ent-g60bio", "contracts"),
        });
        var number = submitted.GetProperty("summary").GetProperty("number").GetString()!;
        await cases.ActAsync("hr-clerk", number, "reject", "劳动合同未签字，不予受理");

        var live = enterprise.Locator("[data-notification-list] li.notification--new", new() { HasText = number });
        await Expect(live.First).ToBeVisibleAsync();
        await Expect(enterprise.Locator("#notification-live")).ToContainTextAsync("收到新消息");
        Assert.True(await UnreadAsync(enterprise) > before);

        // The page itself never holds a token: the stream came through the portal with the session cookie.
        var html = await enterprise.ContentAsync();
        Assert.DoesNotContain("eyJ", html, StringComparison.Ordinal);

        // A live message looks like the listed ones (未读 badge, time) and is marked read with its own button. Held by its
        // id: the rejection's second message (已办结) may arrive meanwhile and become the first.
        var id = await live.First.GetAttributeAsync("data-id");
        var message = enterprise.Locator($"li.notification--new[data-id=\"{id}\"]");
        await Expect(message.Locator(".badge")).ToHaveTextAsync("未读");
        await Expect(message.Locator("time")).ToContainTextAsync("(+08:00)");
        await portal.CheckPageAsync(enterprise, "62-notifications-live");
        await message.GetByRole(AriaRole.Button).ClickAsync();
        var read = enterprise.Locator($"li.notification[data-id=\"{id}\"]:not(.notification--new)");
        await Expect(read).Not.ToHaveClassAsync(new Regex("notification--unread"));
        await Expect(read.Locator(".badge")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_officer_tries_a_policy_on_an_enterprise_clause_by_clause_and_sees_how_many_would_newly_qualify()
    {
        // A published policy for software enterprises of 50 or more staff, and a draft of its next version for 20 or more.
        var officer = "kw-clerk";
        var created = await portal.Cases.ExpectAsync(HttpStatusCode.Created, officer, HttpMethod.Post, "/api/policyradar/manage/policies", Draft(50));
        var id = created.GetProperty("id").GetGuid();
        await portal.Cases.ExpectAsync(HttpStatusCode.OK, officer, HttpMethod.Post, $"/api/policyradar/manage/policies/{id}/submit");
        await portal.Cases.ExpectAsync(HttpStatusCode.OK, "kw-reviewer", HttpMethod.Post, $"/api/policyradar/manage/policies/{id}/review", new { decision = "approve" });
        await portal.Cases.ExpectAsync(HttpStatusCode.OK, "kw-approver", HttpMethod.Post, $"/api/policyradar/manage/policies/{id}/publish");
        await portal.Cases.ExpectAsync(HttpStatusCode.OK, officer, HttpMethod.Put, $"/api/policyradar/manage/policies/{id}/draft", Draft(20));

        var page = await portal.SignedInAsync(officer);
        await page.GotoAsync(portal.Url($"/policy-desk/{id}"));
        await Expect(page.Locator("#newly-qualifying")).ToBeVisibleAsync();
        var newly = int.Parse(await page.Locator("#newly-qualifying").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        var preview = await portal.Cases.ExpectAsync(HttpStatusCode.OK, officer, HttpMethod.Get, $"/api/policyradar/manage/policies/{id}/preview");
        Assert.Equal(preview.GetProperty("newlyQualifying").GetInt32(), newly);
        Assert.Equal(preview.GetProperty("eligible").GetInt32() - preview.GetProperty("eligibleNow").GetInt32() + preview.GetProperty("noLongerQualifying").GetInt32(), newly);

        await page.GetByLabel("企业统一社会信用代码").FillAsync(CaseDriver.Zhisuan);
        await page.GetByRole(AriaRole.Button, new() { Name = "试算" }).ClickAsync();
        await Expect(page.Locator("#trial-verdict")).ToHaveTextAsync("符合本版条件");
        var explanation = page.Locator("table", new() { HasText = "逐条判定" });
        await Expect(explanation).ToContainTextAsync("I6513");
        await Expect(explanation.Locator("tbody tr")).ToHaveCountAsync(3);
        await portal.CheckPageAsync(page, "63-policy-try-it");

        await page.GetByLabel("企业统一社会信用代码").FillAsync("91310117MA1J3GKL0X");
        await page.GetByRole(AriaRole.Button, new() { Name = "试算" }).ClickAsync();
        await Expect(page.Locator("#uscc-error")).ToBeVisibleAsync();
    }

    private static object Draft(int employees) => new
    {
        title = "松江区软件企业成长奖励（" + Guid.NewGuid().ToString("N")[..6] + "）",
        issuingBody = "松江区科学技术委员会",
        level = "Songjiang",
        documentNumber = "松科规〔2026〕" + Random.Shared.Next(100, 999) + "号",
        effectiveFrom = "2026-01-01",
        expiresOn = "2028-12-31",
        fullText = "对在松江区登记的软件企业，按年度给予成长奖励。",
        benefitType = "subsidy",
        benefitAmount = 100000,
        topics = new[] { "软件" },
        criteria = new
        {
            all = new object[]
            {
                new { field = "industryCode", op = "startsWith", value = "I65" },
                new { field = "employees", op = "gte", value = employees },
            },
        },
    };

    private static async Task<int> UnreadAsync(IPage page)
    {
        var text = await page.Locator("[data-unread-count]").TextContentAsync();
        return int.TryParse(text, out var count) ? count : 0;
    }

    private static FilePayload Pdf(string name) => new() { Name = name + ".pdf", MimeType = "application/pdf", Buffer = CaseDriver.Pdf };

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    [GeneratedRegex(@"SJ\d{8}-\d{6}")]
    private static partial Regex ApplicationNumber();
}
