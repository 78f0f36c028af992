using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Songjiang.Testing;

namespace Songjiang.Portal.Tests;

/// <summary>
/// 政策找人 in the browser: one officer of 区科委 drafts a policy with the criteria builder, a second reviews it, a
/// third publishes it, and the enterprise it is for finds it in its hall with the reasons it qualifies.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class PolicyScenarioTests(PortalFixture portal)
{
    [Fact]
    public async Task Officers_draft_review_and_publish_and_the_matching_enterprise_sees_the_policy_at_home()
    {
        var title = "松江区人工智能软件企业成长奖励（" + Guid.NewGuid().ToString("N")[..6] + "）";

        var clerk = await portal.SignedInAsync("kw-clerk");
        await clerk.GotoAsync(portal.Url("/policies?q=" + Uri.EscapeDataString("研发")));
        await Assertions.Expect(clerk.Locator("mark").First).ToBeVisibleAsync();
        await portal.CheckPageAsync(clerk, "20-policy-search");
        await clerk.GotoAsync(portal.Url("/policy-desk/new"));
        await portal.CheckPageAsync(clerk, "21-policy-editor");
        await clerk.GetByLabel("政策名称").FillAsync(title);
        await clerk.GetByLabel("文号").FillAsync("松科规〔2026〕" + Random.Shared.Next(100, 999) + "号");
        await clerk.GetByLabel("生效日期").FillAsync("2026-01-01");
        await clerk.GetByLabel("失效日期").FillAsync("2028-12-31");
        await clerk.GetByLabel("政策原文").FillAsync("对在松江区登记的人工智能软件企业，按年度给予成长奖励。");
        await clerk.GetByLabel("扶持金额上限（元）").FillAsync("200000");
        await clerk.GetByLabel("主题（用逗号分隔）").FillAsync("人工智能，软件");
        await clerk.GetByLabel("条件 1：企业指标").SelectOptionAsync("industryCode");
        await clerk.GetByLabel("条件 1：比较方式").SelectOptionAsync("startsWith");
        await clerk.GetByLabel("条件 1：取值").FillAsync("I65");
        await clerk.GetByLabel("条件 2：企业指标").SelectOptionAsync("employees");
        await clerk.GetByLabel("条件 2：比较方式").SelectOptionAsync("gte");
        await clerk.GetByLabel("条件 2：取值").FillAsync("50");
        await clerk.GetByRole(AriaRole.Button, new() { Name = "保存草稿" }).ClickAsync();
        await clerk.WaitForURLAsync(new Regex("done=drafted"));
        var policyUrl = clerk.Url.Split('?')[0];
        await Assertions.Expect(clerk.Locator("#policy-status")).ToHaveTextAsync("草稿");
        await clerk.GetByRole(AriaRole.Button, new() { Name = "提交审核" }).ClickAsync();
        await Assertions.Expect(clerk.Locator("#policy-status")).ToHaveTextAsync("审核中");

        var reviewer = await portal.SignedInAsync("kw-reviewer");
        await reviewer.GotoAsync(policyUrl);
        await portal.CheckPageAsync(reviewer, "22-policy-review");
        await reviewer.GetByLabel("审核意见").FillAsync("条件清楚，同意");
        await reviewer.GetByRole(AriaRole.Button, new() { Name = "审核通过" }).ClickAsync();
        await Assertions.Expect(reviewer.Locator("#policy-status")).ToHaveTextAsync("已审核待签发");

        var approver = await portal.SignedInAsync("kw-approver");
        await approver.GotoAsync(policyUrl);
        await approver.GetByRole(AriaRole.Button, new() { Name = "签发并发布" }).ClickAsync();
        await Assertions.Expect(approver.Locator("#policy-status")).ToHaveTextAsync("已发布");

        // The enterprise (I6513, 86 employees) finds it at home, with why it qualifies.
        var enterprise = await portal.SignedInAsync("ent-zhisuan");
        var match = enterprise.Locator(".policy-matches li", new() { HasText = title });
        await CaseDriver.EventuallyAsync(async () =>
        {
            await enterprise.GotoAsync(portal.Url("/"));
            return await match.CountAsync();
        }, count => count == 1, "the published policy in the enterprise's hall");
        await match.Locator("summary").ClickAsync();
        await Assertions.Expect(match).ToContainTextAsync("I6513");
        await portal.CheckPageAsync(enterprise, "23-enterprise-hall-with-new-policy");
    }
}
