using Songjiang.Testing;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Songjiang.Enterprises.Tests;

public sealed class CreditAndAccountManagerTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    private const string Zhisuan = "91310117MA1J3GKL0Q";

    [Fact]
    public async Task Broken_commitments_downgrade_the_rating_until_commitment_approval_is_barred()
    {
        var caseworker = await platform.UserTokenAsync("scj-reviewer");
        var before = await EligibilityAsync(caseworker);
        Assert.True(before.GetProperty("eligible").GetBoolean());
        Assert.Equal("A", before.GetProperty("rating").GetString());

        using var first = await PostAsync($"/api/enterprises/{Zhisuan}/credit/records", caseworker,
            new { kind = "BrokenCommitment", reason = "承诺的场地证明与实际不符", reference = "SJ-2026-000321" });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal("B", (await PlatformFixture.JsonOf(first)).GetProperty("rating").GetString());
        Assert.True((await EligibilityAsync(caseworker)).GetProperty("eligible").GetBoolean());

        using var second = await PostAsync($"/api/enterprises/{Zhisuan}/credit/records", caseworker,
            new { kind = "BrokenCommitment", reason = "承诺的从业人员资质未按期补正" });
        Assert.Equal("C", (await PlatformFixture.JsonOf(second)).GetProperty("rating").GetString());
        var after = await EligibilityAsync(caseworker);
        Assert.False(after.GetProperty("eligible").GetBoolean());
        Assert.Contains("不能适用告知承诺制", after.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // The enterprise sees its own rating and the records behind it.
        using var own = await platform.GetAsync($"/api/enterprises/{Zhisuan}/credit", await platform.UserTokenAsync("ent-zhisuan"));
        Assert.Equal(2, (await PlatformFixture.JsonOf(own)).GetProperty("records").GetArrayLength());
    }

    [Fact]
    public async Task Enterprise_cannot_write_credit_records()
    {
        var token = await platform.UserTokenAsync("ent-zhisuan");

        using var response = await PostAsync($"/api/enterprises/{Zhisuan}/credit/records", token, new { kind = "GoodConduct", reason = "自评" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Credit_record_without_kind_is_400()
    {
        var token = await platform.UserTokenAsync("scj-reviewer");

        using var response = await PostAsync($"/api/enterprises/{Zhisuan}/credit/records", token, new { reason = "缺少类型" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Admin_assigns_an_account_manager_whom_the_enterprise_sees_and_who_sees_the_enterprise()
    {
        var manager = await platform.UserTokenAsync("tax-clerk");
        using var about = await platform.GetAsync("/api/enterprises/about", manager);
        var managerId = (await PlatformFixture.JsonOf(about)).GetProperty("caller").GetProperty("subject").GetString()!;

        var admin = await platform.UserTokenAsync("admin");
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/enterprises/91310117MA1H8BXR2W/account-manager")
        {
            Content = JsonContent.Create(new { userId = managerId, name = "刘洋", department = "tax" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
        using var assigned = await platform.Gateway.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);

        using var own = await platform.GetAsync("/api/enterprises/me", await platform.UserTokenAsync("ent-g60bio"));
        // The name and department are the staff directory's, not what the caller sent.
        var shown = (await PlatformFixture.JsonOf(own)).GetProperty("accountManager");
        Assert.Equal("刘洋（区税务局 窗口受理）", shown.GetProperty("name").GetString());
        Assert.Equal("tax", shown.GetProperty("department").GetString());

        using var managed = await platform.GetAsync("/api/enterprises/managed", manager);
        Assert.Equal(["91310117MA1H8BXR2W"], (await PlatformFixture.JsonOf(managed)).EnumerateArray().Select(e => e.GetProperty("uscc").GetString()));
    }

    [Fact]
    public async Task An_account_manager_who_does_not_exist_or_is_not_a_caseworker_is_refused()
    {
        var admin = await platform.UserTokenAsync("admin");
        foreach (var (userId, expected) in new[] { ("no-such-person", "no-such-person"), ("ent-g60bio", "不是政府部门工作人员") })
        {
            var request = new HttpRequestMessage(HttpMethod.Put, $"/api/enterprises/{Zhisuan}/account-manager")
            {
                Content = JsonContent.Create(new { userId, name = "冒名", department = "tax" }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
            using var response = await platform.Gateway.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(expected, (await PlatformFixture.JsonOf(response)).GetProperty("errors").GetProperty("userId")[0].GetString(), StringComparison.Ordinal);
        }
        using var own = await platform.GetAsync("/api/enterprises/me", await platform.UserTokenAsync("ent-zhisuan"));
        var profile = await PlatformFixture.JsonOf(own);
        Assert.True(!profile.TryGetProperty("accountManager", out var manager) || manager.ValueKind == System.Text.Json.JsonValueKind.Null
            || manager.GetProperty("name").GetString() != "冒名");
    }

    [Fact]
    public async Task Only_admins_assign_account_managers()
    {
        var token = await platform.UserTokenAsync("scj-approver");
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/enterprises/{Zhisuan}/account-manager")
        {
            Content = JsonContent.Create(new { userId = "x", name = "x", department = "x" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await platform.Gateway.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Qualifications_are_recorded_with_validity_by_market_regulation()
    {
        var token = await platform.UserTokenAsync("scj-approver");

        using var response = await PostAsync($"/api/enterprises/{Zhisuan}/qualifications", token,
            new { kind = "specialised-sme", certificateNumber = "ZJTX-2026-0099", validFrom = "2026-01-01", validUntil = "2028-12-31" });
        using var invalid = await PostAsync($"/api/enterprises/{Zhisuan}/qualifications", token,
            new { kind = "nobel-prize", certificateNumber = "X", validFrom = "2026-01-01", validUntil = "2025-12-31" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var qualification = (await PlatformFixture.JsonOf(response)).GetProperty("qualifications").EnumerateArray()
            .Single(q => q.GetProperty("kind").GetString() == "specialised-sme");
        Assert.True(qualification.GetProperty("validToday").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await PlatformFixture.JsonOf(invalid)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("kind", out _));
        Assert.True(errors.TryGetProperty("validUntil", out _));
    }

    private async Task<System.Text.Json.JsonElement> EligibilityAsync(string token)
    {
        using var response = await platform.GetAsync($"/api/enterprises/{Zhisuan}/credit/commitment-eligibility", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await PlatformFixture.JsonOf(response);
    }

    private Task<HttpResponseMessage> PostAsync(string path, string token, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return platform.Gateway.SendAsync(request);
    }
}
