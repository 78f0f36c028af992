using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Songjiang.Testing;

namespace Songjiang.Portal.Tests;

/// <summary>The portal from an attacker's side: other people's pages, forged forms, and tokens that must stay on the server.</summary>
[Collection(PortalCollection.Name)]
public sealed partial class SecurityTests(PortalFixture portal)
{
    [Fact]
    public async Task Another_enterprises_application_is_not_shown_to_a_signed_in_enterprise()
    {
        var theirs = await SubmitForG60BioAsync();

        var page = await portal.SignedInAsync("ent-zhisuan");
        var response = await page.GotoAsync(portal.Url("/applications/" + theirs));

        Assert.NotNull(response);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("页面不存在");
        Assert.DoesNotContain("上海G60生物医药有限公司", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(theirs + "</dd>", await page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_departments_task_is_not_shown_to_a_caseworker()
    {
        var number = await SubmitForG60BioAsync();
        var task = Assert.Single(await portal.Cases.TasksAsync("hr-clerk", number));

        var page = await portal.SignedInAsync("tax-clerk");
        await page.GotoAsync(portal.Url($"/workbench/tasks/{task.GetProperty("id").GetGuid()}"));

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("页面不存在");
    }

    [Fact]
    public async Task Enterprise_pages_ask_a_caseworker_to_leave_and_an_anonymous_visitor_to_sign_in()
    {
        var caseworker = await portal.SignedInAsync("scj-clerk");
        await caseworker.GotoAsync(portal.Url("/applications"));
        await Assertions.Expect(caseworker.Locator("h1")).ToHaveTextAsync("无权访问");

        var anonymous = await portal.NewPageAsync();
        await anonymous.GotoAsync(portal.Url("/workbench"));
        Assert.Contains("/account/login", anonymous.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_posted_without_the_antiforgery_token_is_refused()
    {
        var page = await portal.SignedInAsync("ent-zhisuan");
        await page.GotoAsync(portal.Url("/matters/SJ-RS-002/apply"));
        var before = await portal.Cases.ExpectAsync(HttpStatusCode.OK, "ent-zhisuan", HttpMethod.Get, "/api/cases/applications?pageSize=100");

        // The browser's own cookies, a well-formed form, but no token: as a cross-site form would post it.
        var forged = await page.APIRequest.PostAsync(portal.Url("/matters/SJ-RS-002/apply"), new APIRequestContextOptions
        {
            Multipart = page.APIRequest.CreateFormData()
                .Append("_handler", "apply")
                .Append("form.uscc", CaseDriver.Zhisuan)
                .Append("form.reason", "经营调整")
                .Append("form.arrearsSettled", "true"),
        });
        var signOut = await page.APIRequest.PostAsync(portal.Url("/auth/logout"), new APIRequestContextOptions
        {
            Form = page.APIRequest.CreateFormData().Append("returnUrl", "/"),
            MaxRedirects = 0,
        });

        Assert.Equal(400, forged.Status);
        Assert.Equal(400, signOut.Status);
        var after = await portal.Cases.ExpectAsync(HttpStatusCode.OK, "ent-zhisuan", HttpMethod.Get, "/api/cases/applications?pageSize=100");
        Assert.Equal(before.GetProperty("total").GetInt32(), after.GetProperty("total").GetInt32());
        await page.GotoAsync(portal.Url("/"));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("企业服务大厅");
    }

    [Fact]
    public async Task No_access_or_refresh_token_ever_reaches_the_browser()
    {
        var page = await portal.SignedInAsync("ent-zhisuan");
        var bodies = new List<string>();
        page.Response += async (_, response) =>
        {
            if (response.Url.StartsWith(portal.Url(), StringComparison.Ordinal) && !response.Url.Contains("/account/", StringComparison.Ordinal))
            {
                try
                {
                    bodies.Add(string.Join("\n", (await response.AllHeadersAsync()).Select(h => h.Key + ": " + h.Value)) + "\n" + await response.TextAsync());
                }
                catch (PlaywrightException)
                {
                    // Redirects have no body.
                }
            }
        };
        foreach (var path in new[] { "/", "/applications", "/licences", "/matters/SJ-SCJ-004/apply" })
        {
            await page.GotoAsync(portal.Url(path));
            bodies.Add(await page.ContentAsync());
        }
        var storage = await page.EvaluateAsync<string>("() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie");
        var cookies = await page.Context.CookiesAsync();

        Assert.DoesNotMatch(Jwt(), storage);
        Assert.All(bodies, body => Assert.DoesNotMatch(Jwt(), body));
        Assert.All(bodies, body => Assert.DoesNotContain("refresh_token", body, StringComparison.OrdinalIgnoreCase));
        Assert.All(cookies, cookie => Assert.DoesNotMatch(Jwt(), cookie.Value));
        // The session cookie carries only a reference to the server-side session: HttpOnly, SameSite, and small.
        var session = Assert.Single(cookies, c => c.Name == "songjiang.portal");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, session.SameSite);
        Assert.True(session.Value.Length < 1024, $"the session cookie is {session.Value.Length} characters long");
        Assert.DoesNotContain(cookies, c => c.Name.StartsWith("songjiang.portalC", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Signing_out_ends_the_server_session_so_a_copied_cookie_no_longer_works()
    {
        var page = await portal.SignedInAsync("ent-zhisuan");
        var copied = (await page.Context.CookiesAsync()).Single(c => c.Name == "songjiang.portal");

        await page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).ClickAsync();
        await page.WaitForURLAsync(portal.Url("/"));
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "登录" }).First).ToBeVisibleAsync();
        // The identity session ended too: signing in again asks for the password.
        await page.GotoAsync(portal.Url("/auth/login"));
        await Assertions.Expect(page.Locator("#userName")).ToBeVisibleAsync();

        var replay = await portal.NewPageAsync();
        await replay.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = copied.Name, Value = copied.Value, Domain = copied.Domain, Path = copied.Path }]);
        await replay.GotoAsync(portal.Url("/applications"));
        Assert.Contains("/account/login", replay.Url, StringComparison.Ordinal);
    }

    private async Task<string> SubmitForG60BioAsync()
    {
        var uploads = await portal.Cases.UploadAllAsync("ent-g60bio", "application", "settlement");
        var created = await portal.Cases.SubmitAsync("ent-g60bio", new
        {
            matterCode = "SJ-RS-002",
            materials = uploads,
            form = new { uscc = CaseDriver.G60Bio, reason = "经营调整", arrearsSettled = true },
        });
        return created.GetProperty("summary").GetProperty("number").GetString()!;
    }

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")]
    private static partial Regex Jwt();
}
