using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Songjiang.Cases.Api.Infrastructure;
using Songjiang.Cases.Tests.Support;
using Songjiang.Persistence;
using Songjiang.Testing;

namespace Songjiang.Cases.Tests.Ratings;

/// <summary>好差评 by the national rules: five grades per channel, one rating per application and channel, 追评, 复核, statistics.</summary>
public sealed class RatingTests(CasesPlatform platform) : IClassFixture<CasesPlatform>
{
    private readonly CaseDriver _cases = new(platform);

    private static readonly Dictionary<string, string> OnlineDimensions = new()
    {
        ["efficiency"] = "satisfied", ["guideAccuracy"] = "satisfied", ["convenience"] = "very-satisfied",
    };

    private static readonly Dictionary<string, string> WindowDimensions = new()
    {
        ["efficiency"] = "satisfied", ["competence"] = "satisfied", ["attitude"] = "very-satisfied",
    };

    /// <summary>A social-insurance deregistration, completed (online by the enterprise, or at the window by the clerk).</summary>
    private async Task<string> CompletedAsync(string enterprise = "ent-zhisuan", string uscc = CaseDriver.Zhisuan, bool atWindow = false)
    {
        var submitter = atWindow ? "hr-clerk" : enterprise;
        var form = new { uscc, reason = "企业经营调整", arrearsSettled = true };
        var materials = await _cases.UploadAllAsync(submitter, "application", "settlement");
        var view = atWindow
            ? await _cases.SubmitAsync(submitter, new
            {
                matterCode = "SJ-RS-002", form, materials, applicantUscc = uscc,
                applicantName = uscc == CaseDriver.Zhisuan ? "上海松江智算科技有限公司" : "上海G60生物医药有限公司",
                authorisation = await _cases.UploadAsync(submitter, name: "授权委托书.pdf"),
            })
            : await _cases.SubmitAsync(submitter, new { matterCode = "SJ-RS-002", form, materials });
        var number = view.GetProperty("summary").GetProperty("number").GetString()!;
        await _cases.ActAsync("hr-clerk", number, "accept");
        await _cases.ActAsync("hr-reviewer", number, "approve", "同意");
        return number;
    }

    private Task<JsonElement> RateAsync(string user, string number, object body, HttpStatusCode status = HttpStatusCode.Created) =>
        _cases.ExpectAsync(status, user, HttpMethod.Post, $"/api/cases/applications/{number}/ratings", body);

    [Theory]
    [InlineData("very-satisfied", "非常满意", false)]
    [InlineData("satisfied", "满意", false)]
    [InlineData("basically-satisfied", "基本满意", false)]
    [InlineData("dissatisfied", "不满意", true)]
    [InlineData("very-dissatisfied", "非常不满意", true)]
    public async Task Each_grade_is_taken_online_and_only_the_two_poor_ones_open_a_follow_up(string grade, string name, bool poor)
    {
        var number = await CompletedAsync();
        var reason = poor ? "extra-materials" : grade == "basically-satisfied" ? "slow" : "efficient";

        var rating = await RateAsync("ent-zhisuan", number, new { channel = "online", grade, dimensions = OnlineDimensions, reasons = new[] { reason }, comment = "评价内容" });

        Assert.Equal(name, rating.GetProperty("grade").GetProperty("name").GetString());
        Assert.Equal(poor, rating.GetProperty("grade").GetProperty("poor").GetBoolean());
        Assert.Equal("online", rating.GetProperty("channel").GetString());
        Assert.Equal(["efficiency", "guideAccuracy", "convenience"], rating.GetProperty("dimensions").EnumerateArray().Select(d => d.GetProperty("code").GetString()));
        Assert.Equal(reason, Assert.Single(rating.GetProperty("reasons").EnumerateArray()).GetProperty("code").GetString());
        var tasks = (await _cases.TasksAsync("hr-reviewer", number)).Select(t => t.GetProperty("step").GetString()).Order().ToList();
        if (poor)
        {
            var followUp = rating.GetProperty("followUp");
            Assert.Equal("call-back-due", followUp.GetProperty("status").GetString());
            Assert.True(followUp.GetProperty("callBackDueAt").GetDateTimeOffset() < followUp.GetProperty("rectificationDueAt").GetDateTimeOffset());
            Assert.Equal(["callBack", "rectify"], tasks);
        }
        else
        {
            Assert.True(!rating.TryGetProperty("followUp", out var none) || none.ValueKind == JsonValueKind.Null);
            Assert.Empty(tasks);
        }
    }

    [Fact]
    public async Task A_window_case_is_rated_once_per_channel_on_the_window_dimensions()
    {
        var number = await CompletedAsync("ent-g60bio", CaseDriver.G60Bio, atWindow: true);

        // At the window the clerk keys in the applicant's evaluation from the window's device.
        var window = await RateAsync("hr-clerk", number, new { channel = "window", grade = "very-satisfied", dimensions = WindowDimensions, reasons = new[] { "good-attitude" } });
        var online = await RateAsync("ent-g60bio", number, new { channel = "online", grade = "满意", dimensions = OnlineDimensions });
        var again = await RateAsync("ent-g60bio", number, new { channel = "window", grade = "satisfied", dimensions = WindowDimensions }, HttpStatusCode.Conflict);
        var onlineAgain = await RateAsync("ent-g60bio", number, new { channel = "online", grade = "satisfied", dimensions = OnlineDimensions }, HttpStatusCode.Conflict);

        Assert.Equal(["efficiency", "competence", "attitude"], window.GetProperty("dimensions").EnumerateArray().Select(d => d.GetProperty("code").GetString()));
        Assert.Equal("窗口评价", window.GetProperty("channelName").GetString());
        Assert.Equal("satisfied", online.GetProperty("grade").GetProperty("code").GetString());
        Assert.Contains("一事一评", again.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("一事一评", onlineAgain.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, (await _cases.ExpectAsync(HttpStatusCode.OK, "ent-g60bio", HttpMethod.Get, $"/api/cases/applications/{number}/ratings")).GetArrayLength());
    }

    [Fact]
    public async Task Bad_ratings_are_refused_naming_the_field_and_nothing_is_stored()
    {
        var number = await CompletedAsync();

        var problems = new[]
        {
            await RateAsync("ent-zhisuan", number, new { channel = "online", grade = "great", dimensions = OnlineDimensions }, HttpStatusCode.BadRequest),
            await RateAsync("ent-zhisuan", number, new { channel = "phone", grade = "satisfied", dimensions = OnlineDimensions }, HttpStatusCode.BadRequest),
            await RateAsync("ent-zhisuan", number, new { channel = "online", grade = "satisfied", dimensions = WindowDimensions }, HttpStatusCode.BadRequest),
            await RateAsync("ent-zhisuan", number, new { channel = "online", grade = "satisfied" }, HttpStatusCode.BadRequest),
            await RateAsync("ent-zhisuan", number, new { channel = "online", grade = "satisfied", dimensions = OnlineDimensions, reasons = new[] { "poor-attitude" } }, HttpStatusCode.BadRequest),
            await RateAsync("ent-zhisuan", number, new { channel = "online", grade = "dissatisfied", dimensions = OnlineDimensions }, HttpStatusCode.BadRequest),
        };
        var window = await RateAsync("ent-zhisuan", number, new { channel = "window", grade = "satisfied", dimensions = WindowDimensions }, HttpStatusCode.Conflict);

        Assert.True(problems[0].GetProperty("errors").TryGetProperty("grade", out _));
        Assert.True(problems[1].GetProperty("errors").TryGetProperty("channel", out _));
        Assert.True(problems[2].GetProperty("errors").TryGetProperty("dimensions.competence", out _));
        Assert.True(problems[3].GetProperty("errors").TryGetProperty("dimensions.efficiency", out _));
        Assert.True(problems[4].GetProperty("errors").TryGetProperty("reasons", out _));
        Assert.True(problems[5].GetProperty("errors").TryGetProperty("reasons", out _));
        Assert.Contains("窗口", window.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await _cases.ExpectAsync(HttpStatusCode.OK, "ent-zhisuan", HttpMethod.Get, $"/api/cases/applications/{number}/ratings")).GetArrayLength());
    }

    [Fact]
    public async Task Another_enterprise_cannot_rate_or_see_and_another_department_cannot_follow_up()
    {
        var number = await CompletedAsync();
        await RateAsync("ent-g60bio", number, new { channel = "online", grade = "very-dissatisfied", dimensions = OnlineDimensions, comment = "x" }, HttpStatusCode.NotFound);
        var rating = await RateAsync("ent-zhisuan", number, new
        {
            channel = "online", grade = "very-dissatisfied", dimensions = OnlineDimensions, reasons = new[] { "conditions-beyond-guide" }, comment = "要求了指南以外的证明",
        });
        var id = rating.GetProperty("id").GetGuid();

        await _cases.ExpectAsync(HttpStatusCode.NotFound, "ent-g60bio", HttpMethod.Get, $"/api/cases/applications/{number}/ratings");
        await _cases.ExpectAsync(HttpStatusCode.NotFound, "ent-g60bio", HttpMethod.Get, $"/api/cases/ratings/{id}");
        await _cases.ExpectAsync(HttpStatusCode.NotFound, "scj-reviewer", HttpMethod.Post, $"/api/cases/ratings/{id}/call-back", new { note = "冒名回访" });
        await _cases.ExpectAsync(HttpStatusCode.NotFound, "scj-reviewer", HttpMethod.Post, $"/api/cases/ratings/{id}/appeal", new { reason = "冒名复核" });
        await _cases.ExpectAsync(HttpStatusCode.Forbidden, "ent-zhisuan", HttpMethod.Get, "/api/cases/ratings");
        var theirs = await _cases.ExpectAsync(HttpStatusCode.OK, "scj-reviewer", HttpMethod.Get, "/api/cases/ratings?pageSize=100");
        Assert.DoesNotContain(theirs.GetProperty("items").EnumerateArray(), r => r.GetProperty("id").GetGuid() == id);
        // Nor can the other department complete the follow-up task through the work list.
        var task = Assert.Single(await _cases.TasksAsync("hr-reviewer", number), t => t.GetProperty("step").GetString() == "callBack");
        using var steal = await _cases.SendAsync("scj-reviewer", HttpMethod.Post, $"/api/cases/tasks/{task.GetProperty("id").GetGuid()}/claim");
        Assert.True(steal.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"{(int)steal.StatusCode}");
        var unchanged = await _cases.ExpectAsync(HttpStatusCode.OK, "hr-reviewer", HttpMethod.Get, $"/api/cases/ratings/{id}");
        Assert.Equal("call-back-due", unchanged.GetProperty("followUp").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_follow_up_rating_comes_only_after_rectification_and_only_once()
    {
        var number = await CompletedAsync();
        var rating = await RateAsync("ent-zhisuan", number, new
        {
            channel = "online", grade = "dissatisfied", dimensions = OnlineDimensions, reasons = new[] { "overdue-without-reason" },
        });
        var id = rating.GetProperty("id").GetGuid();
        var path = $"/api/cases/ratings/{id}";

        await _cases.ExpectAsync(HttpStatusCode.Conflict, "ent-zhisuan", HttpMethod.Post, $"{path}/follow-up-rating", new { grade = "satisfied" });
        await _cases.ExpectAsync(HttpStatusCode.Conflict, "hr-reviewer", HttpMethod.Post, $"{path}/rectification", new { note = "先整改" });
        await _cases.ExpectAsync(HttpStatusCode.BadRequest, "hr-reviewer", HttpMethod.Post, $"{path}/call-back", new { note = " " });
        var called = await _cases.ExpectAsync(HttpStatusCode.OK, "hr-reviewer", HttpMethod.Post, $"{path}/call-back", new { note = "已电话回访，核实超时原因" });
        Assert.Equal("rectification-due", called.GetProperty("followUp").GetProperty("status").GetString());
        Assert.True(called.GetProperty("followUp").GetProperty("callBackOnTime").GetBoolean());
        await _cases.ExpectAsync(HttpStatusCode.Conflict, "ent-zhisuan", HttpMethod.Post, $"{path}/follow-up-rating", new { grade = "satisfied" });
        await _cases.ExpectAsync(HttpStatusCode.Conflict, "hr-reviewer", HttpMethod.Post, $"{path}/call-back", new { note = "再回访" });

        var rectified = await _cases.ExpectAsync(HttpStatusCode.OK, "hr-approver", HttpMethod.Post, $"{path}/rectification", new { note = "调整内部流转，承诺时限内办结" });
        Assert.Equal("rectified", rectified.GetProperty("followUp").GetProperty("status").GetString());
        Assert.True(rectified.GetProperty("followUp").GetProperty("acceptsFollowUpRating").GetBoolean());
        Assert.Empty(await _cases.TasksAsync("hr-reviewer", number));

        await _cases.ExpectAsync(HttpStatusCode.NotFound, "ent-g60bio", HttpMethod.Post, $"{path}/follow-up-rating", new { grade = "satisfied" });
        var followed = await _cases.ExpectAsync(HttpStatusCode.OK, "ent-zhisuan", HttpMethod.Post, $"{path}/follow-up-rating", new { grade = "satisfied", comment = "整改到位" });
        Assert.Equal("满意", followed.GetProperty("followUp").GetProperty("followUpGrade").GetProperty("name").GetString());
        await _cases.ExpectAsync(HttpStatusCode.Conflict, "ent-zhisuan", HttpMethod.Post, $"{path}/follow-up-rating", new { grade = "very-satisfied" });

        var topics = await OutboxTopicsAsync(id);
        Assert.Contains("cases.application-rated.v2", topics);
        Assert.Contains("cases.poor-rating-called-back.v1", topics);
        Assert.Contains("cases.poor-rating-rectified.v1", topics);
        Assert.Contains("cases.rating-follow-up-added.v1", topics);
    }

    [Fact]
    public async Task An_appeal_is_decided_by_another_officer_with_the_reason_kept_and_upheld_annuls_the_rating()
    {
        var number = await CompletedAsync();
        var rating = await RateAsync("ent-zhisuan", number, new
        {
            channel = "online", grade = "very-dissatisfied", dimensions = OnlineDimensions, reasons = new[] { "poor-attitude" },
        });
        var id = rating.GetProperty("id").GetGuid();
        var path = $"/api/cases/ratings/{id}";

        await _cases.ExpectAsync(HttpStatusCode.BadRequest, "hr-approver", HttpMethod.Post, $"{path}/appeal", new { reason = "" });
        await _cases.ExpectAsync(HttpStatusCode.OK, "hr-approver", HttpMethod.Post, $"{path}/appeal", new { reason = "当日窗口录像显示服务规范，评价与事实不符" });
        await _cases.ExpectAsync(HttpStatusCode.Conflict, "hr-reviewer", HttpMethod.Post, $"{path}/appeal", new { reason = "再次申请" });
        // Not by the officer who appealed, not by a reviewer, not by the applicant, not by another department.
        var self = await _cases.ExpectAsync(HttpStatusCode.Forbidden, "hr-approver", HttpMethod.Post, $"{path}/appeal/decision", new { upheld = true, reason = "同意" });
        Assert.Contains("另一名", self.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await _cases.ExpectAsync(HttpStatusCode.Forbidden, "hr-reviewer", HttpMethod.Post, $"{path}/appeal/decision", new { upheld = true, reason = "同意" });
        await _cases.ExpectAsync(HttpStatusCode.NotFound, "ent-zhisuan", HttpMethod.Post, $"{path}/appeal/decision", new { upheld = true, reason = "同意" });
        await _cases.ExpectAsync(HttpStatusCode.NotFound, "scj-approver", HttpMethod.Post, $"{path}/appeal/decision", new { upheld = true, reason = "同意" });
        await _cases.ExpectAsync(HttpStatusCode.BadRequest, "admin", HttpMethod.Post, $"{path}/appeal/decision", new { reason = "缺结论" });

        var decided = await _cases.ExpectAsync(HttpStatusCode.OK, "admin", HttpMethod.Post, $"{path}/appeal/decision",
            new { upheld = true, reason = "经核查录像，评价不属实，予以撤销" });

        var appeal = decided.GetProperty("appeal");
        Assert.Equal("upheld", appeal.GetProperty("status").GetString());
        Assert.Equal("经核查录像，评价不属实，予以撤销", appeal.GetProperty("decisionReason").GetString());
        Assert.Equal("当日窗口录像显示服务规范，评价与事实不符", appeal.GetProperty("reason").GetString());
        Assert.False(decided.GetProperty("counts").GetBoolean());
        Assert.Equal("annulled", decided.GetProperty("followUp").GetProperty("status").GetString());
        // The annulled 差评 owes no follow-up: its tasks left the work list.
        await CaseDriver.EventuallyAsync(() => _cases.TasksAsync("hr-reviewer", number), t => t.Count == 0, "the follow-up tasks to close");
        await _cases.ExpectAsync(HttpStatusCode.Conflict, "hr-reviewer", HttpMethod.Post, $"{path}/call-back", new { note = "回访" });
    }

    [Fact]
    public async Task Statistics_are_published_per_department_and_matter_without_a_token()
    {
        var good = await CompletedAsync();
        await RateAsync("ent-zhisuan", good, new { channel = "online", grade = "very-satisfied", dimensions = OnlineDimensions });
        var poor = await CompletedAsync("ent-g60bio", CaseDriver.G60Bio);
        var rating = await RateAsync("ent-g60bio", poor, new { channel = "online", grade = "dissatisfied", dimensions = OnlineDimensions, reasons = new[] { "repeated-visits" } });
        await _cases.ExpectAsync(HttpStatusCode.OK, "hr-reviewer", HttpMethod.Post, $"/api/cases/ratings/{rating.GetProperty("id").GetGuid()}/call-back", new { note = "已回访" });

        using var response = await platform.GetAsync("/api/cases/ratings/statistics?department=human-resources&matter=SJ-RS-002", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var statistics = await PlatformFixture.JsonOf(response);
        var total = statistics.GetProperty("total");
        Assert.True(total.GetProperty("ratings").GetInt32() >= 2);
        Assert.True(total.GetProperty("byGrade").GetProperty("very-satisfied").GetInt32() >= 1);
        Assert.True(total.GetProperty("byGrade").GetProperty("dissatisfied").GetInt32() >= 1);
        Assert.True(total.GetProperty("calledBackOnTime").GetInt32() >= 1);
        Assert.InRange(total.GetProperty("callBackOnTimeRate").GetDouble(), 0, 1);
        Assert.InRange(total.GetProperty("rectificationRate").GetDouble(), 0, 1);
        var department = Assert.Single(statistics.GetProperty("departments").EnumerateArray());
        Assert.Equal("human-resources", department.GetProperty("department").GetString());
        var matter = Assert.Single(statistics.GetProperty("matters").EnumerateArray());
        Assert.Equal("SJ-RS-002", matter.GetProperty("matterCode").GetString());
        Assert.DoesNotContain("ent-", statistics.GetRawText(), StringComparison.Ordinal);

        using var catalogue = await platform.GetAsync("/api/cases/ratings/catalogue", null);
        var grades = (await PlatformFixture.JsonOf(catalogue)).GetProperty("grades").EnumerateArray().Select(g => g.GetProperty("name").GetString()).ToList();
        Assert.Equal(["非常满意", "满意", "基本满意", "不满意", "非常不满意"], grades);
    }

    [Fact]
    public async Task Former_one_to_five_ratings_become_grades_at_start_once()
    {
        var number = await CompletedAsync();
        var services = platform.Host.Application("cases").Services;
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        // As rated before grades existed: only the score on the application.
        var application = await db.Applications.SingleAsync(a => a.Number == number);
        application.Rating = 3;
        application.RatingComment = "还可以";
        application.RatedAt = DateTimeOffset.UtcNow;
        await db.SaveChangesAsync();

        var migration = scope.ServiceProvider.GetServices<IDatabaseSeeder<CasesDbContext>>().OfType<Api.Ratings.LegacyRatingMigration>().Single();
        await migration.SeedAsync(db, CancellationToken.None);
        await migration.SeedAsync(db, CancellationToken.None);

        var ratings = (await _cases.ExpectAsync(HttpStatusCode.OK, "ent-zhisuan", HttpMethod.Get, $"/api/cases/applications/{number}/ratings")).EnumerateArray().ToList();
        var migrated = Assert.Single(ratings);
        Assert.Equal("basically-satisfied", migrated.GetProperty("grade").GetProperty("code").GetString());
        Assert.Equal(3, migrated.GetProperty("legacyScore").GetInt32());
        Assert.Equal("还可以", migrated.GetProperty("comment").GetString());
    }

    private async Task<List<string>> OutboxTopicsAsync(Guid ratingId)
    {
        await using var scope = platform.Host.Application("cases").Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        var id = ratingId.ToString();
        return await db.Database.SqlQuery<string>($"SELECT topic AS \"Value\" FROM eventbus_outbox WHERE envelope LIKE {"%" + id + "%"}").ToListAsync();
    }
}
