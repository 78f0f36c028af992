using Songjiang.Testing;
using System.Net;
using System.Net.Http.Json;
using Songjiang.Cases.Tests.Support;
using Songjiang.ServiceDefaults.Time;

namespace Songjiang.Cases.Tests;

/// <summary>撤回 until 受理 with the reason recorded; refused afterwards and to anyone but the applicant; metrics by China day.</summary>
public sealed class WithdrawalTests(CasesPlatform platform) : IClassFixture<CasesPlatform>
{
    private readonly CaseDriver _cases = new(platform);

    private async Task<string> SubmitDeregistrationAsync(string user, string uscc)
    {
        var view = await _cases.SubmitAsync(user, new
        {
            matterCode = "SJ-RS-002",
            form = new { uscc, reason = "企业经营调整，员工全部转入集团公司参保", arrearsSettled = true },
            materials = await _cases.UploadAllAsync(user, "application", "settlement"),
        });
        return view.GetProperty("summary").GetProperty("number").GetString()!;
    }

    [Fact]
    public async Task An_application_not_yet_accepted_is_withdrawn_with_its_reason_and_the_case_closed()
    {
        var number = await SubmitDeregistrationAsync("ent-zhisuan", CaseDriver.Zhisuan);

        var withdrawn = await _cases.ExpectAsync(HttpStatusCode.OK, "ent-zhisuan", HttpMethod.Post, $"/api/cases/applications/{number}/withdraw",
            new { reason = "填报信息有误，重新申请" });

        Assert.Equal("completed", withdrawn.GetProperty("summary").GetProperty("status").GetString());
        Assert.Equal("withdrawn", withdrawn.GetProperty("summary").GetProperty("outcome").GetString());
        Assert.Equal("填报信息有误，重新申请", withdrawn.GetProperty("reason").GetString());
        Assert.Empty(await _cases.TasksAsync("hr-clerk", number));
        var timeline = await _cases.ExpectAsync(HttpStatusCode.OK, "ent-zhisuan", HttpMethod.Get, $"/api/cases/applications/{number}/timeline");
        Assert.Contains("withdraw", timeline.EnumerateArray().Select(e => e.GetProperty("event").GetString()));
    }

    [Fact]
    public async Task An_accepted_application_cannot_be_withdrawn_and_the_refusal_is_in_chinese()
    {
        var number = await SubmitDeregistrationAsync("ent-zhisuan", CaseDriver.Zhisuan);
        await _cases.ActAsync("hr-clerk", number, "accept");

        var refused = await _cases.ExpectAsync(HttpStatusCode.Conflict, "ent-zhisuan", HttpMethod.Post, $"/api/cases/applications/{number}/withdraw",
            new { reason = "不想办了" });

        Assert.Contains("已受理", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var still = await _cases.ApplicationAsync("ent-zhisuan", number);
        Assert.Equal("under-review", still.GetProperty("summary").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Another_enterprise_cannot_withdraw_an_application_and_a_clerk_cannot_withdraw_it_as_a_task_action()
    {
        var number = await SubmitDeregistrationAsync("ent-zhisuan", CaseDriver.Zhisuan);

        var response = await _cases.SendAsync("ent-g60bio", HttpMethod.Post, $"/api/cases/applications/{number}/withdraw",
            JsonContent.Create(new { reason = "恶意撤回" }));
        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"got {response.StatusCode}");

        var task = Assert.Single(await _cases.TasksAsync("hr-clerk", number));
        Assert.DoesNotContain("withdraw", task.GetProperty("actions").EnumerateArray().Select(a => a.GetString()));
        var id = task.GetProperty("id").GetGuid();
        await _cases.ExpectAsync(HttpStatusCode.OK, "hr-clerk", HttpMethod.Post, $"/api/cases/tasks/{id}/claim");
        await _cases.ExpectAsync(HttpStatusCode.BadRequest, "hr-clerk", HttpMethod.Post, $"/api/cases/tasks/{id}/complete", new { action = "withdraw" });

        var still = await _cases.ApplicationAsync("ent-zhisuan", number);
        Assert.Equal("submitted", still.GetProperty("summary").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Metrics_count_applications_by_the_china_calendar_day_they_were_submitted()
    {
        await SubmitDeregistrationAsync("ent-zhisuan", CaseDriver.Zhisuan);
        var today = ChinaTime.Today(TimeProvider.System).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var yesterday = ChinaTime.Today(TimeProvider.System).AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var todays = await _cases.ExpectAsync(HttpStatusCode.OK, "hr-approver", HttpMethod.Get, $"/api/cases/metrics?from={today}&to={today}");
        var yesterdays = await _cases.ExpectAsync(HttpStatusCode.OK, "hr-approver", HttpMethod.Get, $"/api/cases/metrics?from={yesterday}&to={yesterday}");

        Assert.Equal(today, todays.GetProperty("from").GetString());
        Assert.True(todays.GetProperty("applications").GetInt32() >= 1);
        Assert.Equal(0, yesterdays.GetProperty("applications").GetInt32());
        var backwards = await _cases.ExpectAsync(HttpStatusCode.BadRequest, "hr-approver", HttpMethod.Get, $"/api/cases/metrics?from={today}&to={yesterday}");
        Assert.Contains("起始日期", backwards.GetRawText(), StringComparison.Ordinal);
    }
}
