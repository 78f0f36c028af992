using Songjiang.Testing;
using System.Net;
using System.Text.Json;

namespace Songjiang.EndToEnd.Tests.Hardening;

/// <summary>
/// Filing a matter names one enterprise, the applicant: a form that names another is refused, a window clerk files
/// only with the enterprise's power of attorney, and filing a deregistration moves no enterprise into 注销中.
/// </summary>
[Collection(HardeningOnSqlite.Name)]
public sealed class ActingForTests(PlatformFixture platform)
{
    private readonly CaseDriver _cases = new(platform);

    private async Task<object> DeregistrationAsync(string user, string formUscc, object? extra = null) => new
    {
        matterCode = "SJ-SCJ-003",
        form = new { uscc = formUscc, reason = "经营期限届满", liquidationCompleted = true },
        materials = await _cases.UploadAllAsync(user, "application", "liquidation", "tax-clearance"),
    };

    [Fact]
    public async Task An_enterprise_cannot_file_a_deregistration_naming_another_enterprise_in_the_form()
    {
        var problem = await _cases.ExpectAsync(HttpStatusCode.BadRequest, "ent-g60bio", HttpMethod.Post, "/api/cases/applications",
            await DeregistrationAsync("ent-g60bio", CaseDriver.Zhisuan));

        Assert.True(problem.GetProperty("errors").TryGetProperty("form.uscc", out _), problem.ToString());
        Assert.Equal("Operating", await StageAsync(CaseDriver.Zhisuan));
    }

    [Fact]
    public async Task A_window_clerk_files_only_with_the_enterprises_power_of_attorney_and_for_that_enterprise()
    {
        var request = await DeregistrationAsync("scj-clerk", CaseDriver.G60Bio);
        var withoutAuthorisation = await _cases.ExpectAsync(HttpStatusCode.BadRequest, "scj-clerk", HttpMethod.Post, "/api/cases/applications",
            Merge(request, new { applicantUscc = CaseDriver.G60Bio, applicantName = "上海G60生物医药有限公司" }));
        Assert.True(withoutAuthorisation.GetProperty("errors").TryGetProperty("authorisation", out _), withoutAuthorisation.ToString());

        var otherEnterprise = await _cases.ExpectAsync(HttpStatusCode.BadRequest, "scj-clerk", HttpMethod.Post, "/api/cases/applications",
            Merge(request, new { applicantUscc = CaseDriver.Zhisuan, applicantName = "上海松江智算科技有限公司", authorisation = await _cases.UploadAsync("scj-clerk", name: "授权委托书.pdf") }));
        Assert.True(otherEnterprise.GetProperty("errors").TryGetProperty("form.uscc", out _), otherEnterprise.ToString());

        var view = await _cases.SubmitAsync("scj-clerk",
            Merge(request, new { applicantUscc = CaseDriver.G60Bio, applicantName = "上海G60生物医药有限公司", authorisation = await _cases.UploadAsync("scj-clerk", name: "授权委托书.pdf") }));
        Assert.Equal("window", view.GetProperty("summary").GetProperty("channel").GetString());
        Assert.Contains(view.GetProperty("materials").EnumerateArray(), m => m.GetProperty("code").GetString() == "authorisation");

        // Filed, not approved: the enterprise knows of the application and is still operating.
        var number = view.GetProperty("summary").GetProperty("number").GetString()!;
        var admin = await _cases.TokenAsync("admin");
        await CaseDriver.EventuallyAsync(async () =>
        {
            using var response = await platform.GetAsync($"/api/enterprises/managed/applications?uscc={CaseDriver.G60Bio}&pageSize=100", admin);
            return (await PlatformFixture.JsonOf(response)).GetProperty("items").EnumerateArray().Select(a => a.GetProperty("number").GetString()).ToList();
        }, numbers => numbers.Contains(number), "the enterprises service to track the filed application");
        Assert.Equal("Operating", await StageAsync(CaseDriver.G60Bio));
    }

    private async Task<string?> StageAsync(string uscc)
    {
        using var response = await platform.GetAsync($"/api/enterprises/{uscc}", await _cases.TokenAsync("scj-reviewer"));
        return (await PlatformFixture.JsonOf(response)).GetProperty("stage").GetString();
    }

    private static Dictionary<string, object?> Merge(object first, object second)
    {
        var merged = JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(first))!;
        foreach (var (key, value) in JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(second))!)
        {
            merged[key] = value;
        }
        return merged;
    }
}
