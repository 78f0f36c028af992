using Songjiang.Testing;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Songjiang.Cases.Api.IntegrationEvents.Events;
using Songjiang.Cases.Tests.Support;
using Songjiang.EventBus;

namespace Songjiang.Cases.Tests;

/// <summary>One matter at a time: 补正 with the statutory clock, rejection, 承诺办 and its verification, 好差评, 免申即享, metrics.</summary>
public sealed class CaseHandlingTests(CasesPlatform platform) : IClassFixture<CasesPlatform>
{
    private readonly CaseDriver _cases = new(platform);

    private static object SocialInsuranceDeregistration(string uscc) => new
    {
        uscc, reason = "企业经营调整，员工全部转入集团公司参保", arrearsSettled = true,
    };

    private async Task<string> SubmitDeregistrationAsync(string user, string uscc)
    {
        var view = await _cases.SubmitAsync(user, new
        {
            matterCode = "SJ-RS-002",
            form = SocialInsuranceDeregistration(uscc),
            materials = await _cases.UploadAllAsync(user, "application", "settlement"),
        });
        return view.GetProperty("summary").GetProperty("number").GetString()!;
    }

    [Fact]
    public async Task A_correction_pauses_the_statutory_clock_and_resubmission_resumes_it()
    {
        var number = await SubmitDeregistrationAsync("ent-zhisuan", CaseDriver.Zhisuan);
        var before = await _cases.ApplicationAsync("ent-zhisuan", number);
        Assert.Equal("submitted", before.GetProperty("summary").GetProperty("status").GetString());
        var dueBefore = before.GetProperty("summary").GetProperty("statutoryDueAt").GetDateTimeOffset();

        // Asking for a correction without naming the materials is refused.
        var task = Assert.Single(await _cases.TasksAsync("hr-clerk", number)).GetProperty("id").GetGuid();
        await _cases.ExpectAsync(HttpStatusCode.OK, "hr-clerk", HttpMethod.Post, $"/api/cases/tasks/{task}/claim");
        var vague = await _cases.ExpectAsync(HttpStatusCode.BadRequest, "hr-clerk", HttpMethod.Post, $"/api/cases/tasks/{task}/complete",
            new { action = "correct", opinion = "材料不全" });
        Assert.True(vague.GetProperty("errors").TryGetProperty("materials", out _));
        await _cases.ExpectAsync(HttpStatusCode.OK, "hr-clerk", HttpMethod.Post, $"/api/cases/tasks/{task}/complete",
            new { action = "correct", opinion = "社保费结清证明缺少税务部门盖章，请补正。", materials = new[] { "settlement" } });

        var waiting = await _cases.ApplicationAsync("ent-zhisuan", number);
        Assert.Equal("correction-requested", waiting.GetProperty("summary").GetProperty("status").GetString());
        Assert.True(waiting.GetProperty("summary").GetProperty("clockPaused").GetBoolean());
        var ask = waiting.GetProperty("ask");
        Assert.Equal("resubmit", ask.GetProperty("action").GetString());
        Assert.Equal(["settlement"], ask.GetProperty("materials").EnumerateArray().Select(m => m.GetString()));
        Assert.Contains("盖章", ask.GetProperty("note").GetString(), StringComparison.Ordinal);
        var settlementName = waiting.GetProperty("materials").EnumerateArray()
            .Single(m => m.GetProperty("code").GetString() == "settlement").GetProperty("name").GetString();
        Assert.Equal([settlementName], ask.GetProperty("materialNames").EnumerateArray().Select(m => m.GetString()));

        // The list of the applications still open carries the same ask, so a home page need not read them one by one.
        const string Open = "/api/cases/applications?status=submitted,correction-requested,under-review&pageSize=100";
        var listed = (await _cases.ExpectAsync(HttpStatusCode.OK, "ent-zhisuan", HttpMethod.Get, Open))
            .GetProperty("items").EnumerateArray().Single(a => a.GetProperty("number").GetString() == number);
        Assert.Equal("correction-requested", listed.GetProperty("status").GetString());
        var listedAsk = listed.GetProperty("ask");
        Assert.Equal("resubmit", listedAsk.GetProperty("action").GetString());
        Assert.Equal(["settlement"], listedAsk.GetProperty("materials").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal([settlementName], listedAsk.GetProperty("materialNames").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(ask.GetProperty("dueAt").GetDateTimeOffset(), listedAsk.GetProperty("dueAt").GetDateTimeOffset());
        await _cases.ExpectAsync(HttpStatusCode.BadRequest, "ent-zhisuan", HttpMethod.Get, "/api/cases/applications?status=submitted,finished");

        // Resubmitting without the material asked for is refused; with it the clock runs again.
        await _cases.ExpectAsync(HttpStatusCode.BadRequest, "ent-zhisuan", HttpMethod.Post, $"/api/cases/applications/{number}/resubmit", new { });
        var fixedFile = await _cases.UploadAsync("ent-zhisuan", name: "settlement-stamped.pdf");
        var resubmitted = await _cases.ExpectAsync(HttpStatusCode.OK, "ent-zhisuan", HttpMethod.Post, $"/api/cases/applications/{number}/resubmit",
            new { materials = new Dictionary<string, Guid> { ["settlement"] = fixedFile }, note = "已补盖章" });
        Assert.Equal("submitted", resubmitted.GetProperty("summary").GetProperty("status").GetString());
        Assert.False(resubmitted.GetProperty("summary").GetProperty("clockPaused").GetBoolean());
        Assert.True(resubmitted.GetProperty("summary").GetProperty("statutoryDueAt").GetDateTimeOffset() >= dueBefore);
        Assert.Equal("settlement-stamped.pdf", resubmitted.GetProperty("materials").EnumerateArray()
            .Single(m => m.GetProperty("code").GetString() == "settlement").GetProperty("fileName").GetString());

        await _cases.ActAsync("hr-clerk", number, "accept");
        await _cases.ActAsync("hr-reviewer", number, "approve", "准予注销登记");
        var done = await _cases.ApplicationAsync("ent-zhisuan", number);
        Assert.Equal(("completed", "approved"), (done.GetProperty("summary").GetProperty("status").GetString(), done.GetProperty("summary").GetProperty("outcome").GetString()));
        Assert.True(done.GetProperty("onTime").GetBoolean());
        Assert.DoesNotContain((await _cases.ExpectAsync(HttpStatusCode.OK, "ent-zhisuan", HttpMethod.Get, Open)).GetProperty("items").EnumerateArray(),
            a => a.GetProperty("number").GetString() == number);
        // Completed and not yet rated: the list asks for the rating, as the application's view does.
        var completed = (await _cases.ExpectAsync(HttpStatusCode.OK, "ent-zhisuan", HttpMethod.Get, "/api/cases/applications?status=completed&pageSize=100"))
            .GetProperty("items").EnumerateArray().Single(a => a.GetProperty("number").GetString() == number);
        Assert.Equal("rate", completed.GetProperty("ask").GetProperty("action").GetString());

        var timeline = await _cases.ExpectAsync(HttpStatusCode.OK, "ent-zhisuan", HttpMethod.Get, $"/api/cases/applications/{number}/timeline");
        Assert.Equal(["submitted", "correct", "clock-paused", "resubmit", "clock-resumed", "accept", "approve", "approved"],
            timeline.EnumerateArray().Select(e => e.GetProperty("event").GetString()));
    }

    [Fact]
    public async Task A_rejection_ends_the_case_with_the_reason_the_applicant_sees()
    {
        var number = await SubmitDeregistrationAsync("ent-g60bio", CaseDriver.G60Bio);
        await _cases.ActAsync("hr-clerk", number, "accept");

        var task = Assert.Single(await _cases.TasksAsync("hr-reviewer", number)).GetProperty("id").GetGuid();
        await _cases.ExpectAsync(HttpStatusCode.OK, "hr-reviewer", HttpMethod.Post, $"/api/cases/tasks/{task}/claim");
        await _cases.ExpectAsync(HttpStatusCode.BadRequest, "hr-reviewer", HttpMethod.Post, $"/api/cases/tasks/{task}/complete", new { action = "reject" });
        await _cases.ExpectAsync(HttpStatusCode.OK, "hr-reviewer", HttpMethod.Post, $"/api/cases/tasks/{task}/complete",
            new { action = "reject", opinion = "单位尚有 3 名职工未办理社保转移，不予注销。" });

        var rejected = await _cases.ApplicationAsync("ent-g60bio", number);
        Assert.Equal("completed", rejected.GetProperty("summary").GetProperty("status").GetString());
        Assert.Equal("rejected", rejected.GetProperty("summary").GetProperty("outcome").GetString());
        Assert.Contains("未办理社保转移", rejected.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Empty(await _cases.TasksAsync("hr-reviewer", number));
    }

    private static object HygieneForm(string uscc) => new { uscc, premisesAddress = "上海市松江区广富林路658号", premisesType = "美容美发场所", premisesArea = 86 };

    [Fact]
    public async Task Commitment_based_approval_approves_on_acceptance_and_opens_the_verification_task()
    {
        var view = await _cases.SubmitAsync("ent-zhisuan", new
        {
            matterCode = "SJ-WJ-001",
            form = HygieneForm(CaseDriver.Zhisuan),
            commitment = true,
            materials = await _cases.UploadAllAsync("ent-zhisuan", "application", "licence", "layout", "testing"),
        });
        var number = view.GetProperty("summary").GetProperty("number").GetString()!;
        Assert.True(view.GetProperty("commitmentBased").GetBoolean());

        await _cases.ActAsync("wj-clerk", number, "accept");
        var approved = await _cases.ApplicationAsync("ent-zhisuan", number);
        Assert.Equal("approved", approved.GetProperty("summary").GetProperty("status").GetString());
        var verification = Assert.Single(await _cases.TasksAsync("wj-reviewer", number));
        Assert.Equal("verify", verification.GetProperty("step").GetString());
        Assert.Equal(["confirm", "broken"], verification.GetProperty("actions").EnumerateArray().Select(a => a.GetString()));

        // The approval issues the public-place hygiene licence, with the area the form now requires.
        var result = await CaseDriver.EventuallyAsync(
            () => _cases.ApplicationAsync("ent-zhisuan", number),
            view => view.GetProperty("results").GetArrayLength() == 1, "the hygiene licence recorded as the result");
        var verificationPath = result.GetProperty("results")[0].GetProperty("verificationPath").GetString()!;
        Assert.Equal("valid", await VerificationOutcomeAsync(verificationPath));

        // The post-approval check finds the commitment broken: the approval is revoked, credit is told, and
        // the licence it issued is revoked too.
        await _cases.ActAsync("wj-reviewer", number, "broken", "现场核查：无有效集中空调通风系统检测报告，与承诺不符。");
        var revoked = await _cases.ApplicationAsync("ent-zhisuan", number);
        Assert.Equal("revoked", revoked.GetProperty("summary").GetProperty("outcome").GetString());
        Assert.Equal("revoked", await CaseDriver.EventuallyAsync(
            () => VerificationOutcomeAsync(verificationPath), outcome => outcome == "revoked", "the hygiene licence revoked"));
    }

    private async Task<string?> VerificationOutcomeAsync(string path)
    {
        using var response = await platform.Gateway.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await PlatformFixture.JsonOf(response)).GetProperty("outcome").GetString();
    }

    [Fact]
    public async Task Commitment_is_refused_where_the_matter_does_not_allow_it()
    {
        var problem = await _cases.ExpectAsync(HttpStatusCode.BadRequest, "ent-zhisuan", HttpMethod.Post, "/api/cases/applications", new
        {
            matterCode = "SJ-RS-002",
            form = SocialInsuranceDeregistration(CaseDriver.Zhisuan),
            commitment = true,
            materials = await _cases.UploadAllAsync("ent-zhisuan", "application", "settlement"),
        });
        Assert.True(problem.GetProperty("errors").TryGetProperty("commitment", out _));
    }

    [Fact]
    public async Task A_barred_enterprise_is_refused_commitment_based_approval()
    {
        // Two serious penalties take 上海G60生物医药 to rating D, which bars 告知承诺.
        for (var i = 0; i < 2; i++)
        {
            await _cases.ExpectAsync(HttpStatusCode.Created, "scj-reviewer", HttpMethod.Post, $"/api/enterprises/{CaseDriver.G60Bio}/credit/records",
                new { kind = "SeriousPenalty", reason = $"行政处罚决定书 松市监罚〔2026〕{100 + i}号", reference = $"松市监罚〔2026〕{100 + i}号" });
        }
        var materials = await _cases.UploadAllAsync("ent-g60bio", "application", "licence", "layout", "testing");
        var refused = await _cases.ExpectAsync(HttpStatusCode.Forbidden, "ent-g60bio", HttpMethod.Post, "/api/cases/applications", new
        {
            matterCode = "SJ-WJ-001", form = HygieneForm(CaseDriver.G60Bio), commitment = true, materials,
        });
        Assert.Contains("不能适用告知承诺制", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // With full materials and the normal procedure the same application is taken.
        var normal = await _cases.SubmitAsync("ent-g60bio", new { matterCode = "SJ-WJ-001", form = HygieneForm(CaseDriver.G60Bio), materials });
        Assert.False(normal.GetProperty("commitmentBased").GetBoolean());
    }

    [Fact]
    public async Task A_poor_rating_opens_a_follow_up_task_and_a_case_is_rated_once()
    {
        var number = await SubmitDeregistrationAsync("ent-zhisuan", CaseDriver.Zhisuan);
        await _cases.ExpectAsync(HttpStatusCode.Conflict, "ent-zhisuan", HttpMethod.Post, $"/api/cases/applications/{number}/rating", new { rating = 5 });
        await _cases.ActAsync("hr-clerk", number, "accept");
        await _cases.ActAsync("hr-reviewer", number, "approve", "同意");

        await _cases.ExpectAsync(HttpStatusCode.BadRequest, "ent-zhisuan", HttpMethod.Post, $"/api/cases/applications/{number}/rating", new { rating = 6 });
        await _cases.ExpectAsync(HttpStatusCode.NotFound, "ent-g60bio", HttpMethod.Post, $"/api/cases/applications/{number}/rating", new { rating = 1 });
        var rated = await _cases.ExpectAsync(HttpStatusCode.OK, "ent-zhisuan", HttpMethod.Post, $"/api/cases/applications/{number}/rating",
            new { rating = 2, comment = "办理时间比承诺的长" });
        Assert.Equal(2, rated.GetProperty("rating").GetInt32());
        await _cases.ExpectAsync(HttpStatusCode.Conflict, "ent-zhisuan", HttpMethod.Post, $"/api/cases/applications/{number}/rating", new { rating = 5 });

        // The former 1–5 score still reads: 2 is 不满意, a 差评, so the department must call back and rectify.
        var steps = (await _cases.TasksAsync("hr-approver", number)).Select(t => t.GetProperty("step").GetString()).Order().ToList();
        Assert.Equal(["callBack", "rectify"], steps);
        var rating = Assert.Single((await _cases.ExpectAsync(HttpStatusCode.OK, "ent-zhisuan", HttpMethod.Get, $"/api/cases/applications/{number}/ratings")).EnumerateArray());
        Assert.Equal("dissatisfied", rating.GetProperty("grade").GetProperty("code").GetString());
        await _cases.ExpectAsync(HttpStatusCode.OK, "hr-approver", HttpMethod.Post, $"/api/cases/ratings/{rating.GetProperty("id").GetGuid()}/call-back",
            new { note = "已电话回访，说明原因并致歉。" });
    }

    [Fact]
    public async Task A_benefit_offer_opens_one_case_that_only_needs_the_enterprise_to_confirm()
    {
        var offer = new BenefitOfferedIntegrationEvent(
            Guid.NewGuid(), CaseDriver.Zhisuan, "上海松江智算科技有限公司", "P-2026-017", 2, "松江区高新技术企业认定奖励",
            "沪松科规〔2026〕3号", "松江区科学技术委员会", "grant", 200000m, ["高新技术企业资格在有效期内", "注册地在松江区"]);
        var bus = platform.Host.Application("catalog").Services.GetRequiredService<IEventBus>();
        await bus.PublishAsync(offer);
        await bus.PublishAsync(offer);

        var mine = await CaseDriver.EventuallyAsync(
            () => _cases.ExpectAsync(HttpStatusCode.OK, "ent-zhisuan", HttpMethod.Get, "/api/cases/applications?status=awaiting-confirmation"),
            page => page.GetProperty("items").EnumerateArray().Any(a => a.GetProperty("name").GetString() == "松江区高新技术企业认定奖励"),
            "the benefit case");
        await Task.Delay(500); // the redelivered offer has had time to arrive
        var cases = (await _cases.ExpectAsync(HttpStatusCode.OK, "ent-zhisuan", HttpMethod.Get, "/api/cases/applications?pageSize=100"))
            .GetProperty("items").EnumerateArray().Where(a => a.GetProperty("name").GetString() == "松江区高新技术企业认定奖励").ToList();
        var benefit = Assert.Single(cases);
        Assert.Equal("proactive", benefit.GetProperty("channel").GetString());
        var number = benefit.GetProperty("number").GetString()!;

        var view = await _cases.ApplicationAsync("ent-zhisuan", number);
        Assert.Equal("confirm", view.GetProperty("ask").GetProperty("action").GetString());
        await _cases.ExpectAsync(HttpStatusCode.NotFound, "ent-g60bio", HttpMethod.Post, $"/api/cases/applications/{number}/confirm", new { accept = true });
        await _cases.ExpectAsync(HttpStatusCode.BadRequest, "ent-zhisuan", HttpMethod.Post, $"/api/cases/applications/{number}/confirm", new { });
        var confirmed = await _cases.ExpectAsync(HttpStatusCode.OK, "ent-zhisuan", HttpMethod.Post, $"/api/cases/applications/{number}/confirm", new { accept = true });
        Assert.Equal("approved", confirmed.GetProperty("summary").GetProperty("outcome").GetString());
        _ = mine;
    }

    [Fact]
    public async Task Metrics_count_applications_per_matter_and_status_for_the_callers_department()
    {
        var number = await SubmitDeregistrationAsync("ent-zhisuan", CaseDriver.Zhisuan);
        await _cases.ActAsync("hr-clerk", number, "accept");
        await _cases.ActAsync("hr-reviewer", number, "approve", "同意");

        var metrics = await _cases.ExpectAsync(HttpStatusCode.OK, "hr-approver", HttpMethod.Get, "/api/cases/metrics");
        Assert.Equal("human-resources", metrics.GetProperty("department").GetString());
        var matter = metrics.GetProperty("matters").EnumerateArray().Single(m => m.GetProperty("matterCode").GetString() == "SJ-RS-002");
        Assert.True(matter.GetProperty("byStatus").GetProperty("completed").GetInt32() >= 1);
        Assert.True(metrics.GetProperty("completed").GetInt32() >= 1);
        Assert.True(metrics.GetProperty("visitsAvoided").GetInt32() >= 2);
        Assert.InRange(metrics.GetProperty("onTimeRate").GetDouble(), 0, 1);
        Assert.DoesNotContain(metrics.GetProperty("matters").EnumerateArray(), m => m.GetProperty("matterCode").GetString()!.StartsWith("SJ-WJ", StringComparison.Ordinal));

        await _cases.ExpectAsync(HttpStatusCode.Forbidden, "ent-zhisuan", HttpMethod.Get, "/api/cases/metrics");
    }
}
