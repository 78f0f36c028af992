using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Songjiang.Cases.Api.Infrastructure;
using Songjiang.Cases.Tests.Support;
using Songjiang.Testing;
using Songjiang.Workflows;

namespace Songjiang.Cases.Tests.Ratings;

/// <summary>The cases service on a clock the test moves, starting on the eve of the 2026 National Day holiday.</summary>
public sealed class MovableClockCasesPlatform : CasesPlatform
{
    /// <summary>Wednesday 30 September 2026, 10:00 in Shanghai; 1–7 October are public holidays and 10 October a make-up working day.</summary>
    public static readonly DateTimeOffset Start = new(2026, 9, 30, 10, 0, 0, TimeSpan.FromHours(8));

    /// <summary>The cases service's clock.</summary>
    public MovableClock Clock { get; } = new(Start);

    /// <inheritdoc />
    protected override void ConfigureServices(string service, IServiceCollection services)
    {
        if (service == "cases")
        {
            services.AddSingleton<TimeProvider>(Clock);
        }
    }
}

/// <summary>差评 follow-up deadlines count working days (the State Council's holiday notice), and late steps are escalated (督办).</summary>
public sealed class FollowUpTimerTests(MovableClockCasesPlatform platform) : IClassFixture<MovableClockCasesPlatform>
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private readonly CaseDriver _cases = new(platform);

    private async Task<Guid> PoorRatingAsync(string enterprise, string uscc)
    {
        var view = await _cases.SubmitAsync(enterprise, new
        {
            matterCode = "SJ-RS-002", form = new { uscc, reason = "企业经营调整", arrearsSettled = true },
            materials = await _cases.UploadAllAsync(enterprise, "application", "settlement"),
        });
        var number = view.GetProperty("summary").GetProperty("number").GetString()!;
        await _cases.ActAsync("hr-clerk", number, "accept");
        await _cases.ActAsync("hr-reviewer", number, "approve", "同意");
        var rating = await _cases.ExpectAsync(HttpStatusCode.Created, enterprise, HttpMethod.Post, $"/api/cases/applications/{number}/ratings", new
        {
            channel = "online", grade = "very-dissatisfied", reasons = new[] { "repeated-visits" },
            dimensions = new { efficiency = "dissatisfied", guideAccuracy = "basically-satisfied", convenience = "dissatisfied" },
        });
        return rating.GetProperty("id").GetGuid();
    }

    private Task<System.Text.Json.JsonElement> FollowUpAsync(Guid id) =>
        _cases.ExpectAsync(HttpStatusCode.OK, "hr-reviewer", HttpMethod.Get, $"/api/cases/ratings/{id}").ContinueWith(t => t.Result.GetProperty("followUp"));

    private async Task MoveToAsync(DateTimeOffset instant)
    {
        platform.Clock.MoveTo(instant);
        await platform.Host.Application("cases").Services.GetRequiredService<IWorkflowRuntime>().FireDueTimersAsync();
    }

    [Fact]
    public async Task Call_back_and_rectification_fall_due_on_working_days_and_are_escalated_when_late()
    {
        var late = await PoorRatingAsync("ent-zhisuan", CaseDriver.Zhisuan);
        var prompt = await PoorRatingAsync("ent-g60bio", CaseDriver.G60Bio);
        await _cases.ExpectAsync(HttpStatusCode.OK, "hr-reviewer", HttpMethod.Post, $"/api/cases/ratings/{prompt}/call-back", new { note = "当天回访" });

        // Rated on 30 September: one working day is 8 October (after the holiday), fifteen end on 27 October
        // (10 October, a Saturday, is a make-up working day and counts).
        var followUp = await FollowUpAsync(late);
        Assert.Equal(new DateTimeOffset(2026, 10, 9, 0, 0, 0, China), followUp.GetProperty("callBackDueAt").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2026, 10, 28, 0, 0, 0, China), followUp.GetProperty("rectificationDueAt").GetDateTimeOffset());
        Assert.EndsWith("+08:00", followUp.GetProperty("callBackDueAt").GetString(), StringComparison.Ordinal);

        // The holiday passes, and the last minute of 8 October: not yet late.
        await MoveToAsync(new DateTimeOffset(2026, 10, 8, 23, 59, 0, China));
        Assert.False((await FollowUpAsync(late)).TryGetProperty("callBackEscalatedAt", out var early) && early.ValueKind != System.Text.Json.JsonValueKind.Null);

        // Midnight: the call-back is late and escalated (督办); the prompt one is not.
        await MoveToAsync(new DateTimeOffset(2026, 10, 9, 0, 0, 5, China));
        await CaseDriver.EventuallyAsync(() => FollowUpAsync(late),
            f => f.TryGetProperty("callBackEscalatedAt", out var at) && at.ValueKind != System.Text.Json.JsonValueKind.Null, "the call-back's escalation");
        var escalatedTask = Assert.Single(await _cases.TasksAsync("hr-reviewer", (await ApplicationNumberAsync(late))), t => t.GetProperty("step").GetString() == "callBack");
        Assert.True(escalatedTask.GetProperty("escalated").GetBoolean());
        Assert.False((await FollowUpAsync(prompt)).TryGetProperty("callBackEscalatedAt", out var none) && none.ValueKind != System.Text.Json.JsonValueKind.Null);
        Assert.Contains(await EscalationsAsync(), e => e.Contains(late.ToString(), StringComparison.Ordinal) && e.Contains("\"call-back\"", StringComparison.Ordinal));

        var calledBack = await _cases.ExpectAsync(HttpStatusCode.OK, "hr-reviewer", HttpMethod.Post, $"/api/cases/ratings/{late}/call-back", new { note = "节后回访" });
        Assert.False(calledBack.GetProperty("followUp").GetProperty("callBackOnTime").GetBoolean());

        // 27 October: the late one is rectified in time; at midnight the other's rectification is late.
        await MoveToAsync(new DateTimeOffset(2026, 10, 27, 20, 0, 0, China));
        var rectified = await _cases.ExpectAsync(HttpStatusCode.OK, "hr-approver", HttpMethod.Post, $"/api/cases/ratings/{late}/rectification", new { note = "已整改" });
        Assert.True(rectified.GetProperty("followUp").GetProperty("rectificationOnTime").GetBoolean());
        await MoveToAsync(new DateTimeOffset(2026, 10, 28, 0, 0, 5, China));
        await CaseDriver.EventuallyAsync(() => FollowUpAsync(prompt),
            f => f.TryGetProperty("rectificationEscalatedAt", out var at) && at.ValueKind != System.Text.Json.JsonValueKind.Null, "the rectification's escalation");
        Assert.False((await FollowUpAsync(late)).TryGetProperty("rectificationEscalatedAt", out var kept) && kept.ValueKind != System.Text.Json.JsonValueKind.Null);

        Assert.Contains(await EscalationsAsync(), e => e.Contains(prompt.ToString(), StringComparison.Ordinal) && e.Contains("\"rectification\"", StringComparison.Ordinal));
    }

    // The escalation events in the outbox (read right after they are written: relayed rows are pruned as time passes).
    private async Task<List<string>> EscalationsAsync()
    {
        await using var scope = platform.Host.Application("cases").Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        return await db.Database.SqlQuery<string>($"SELECT envelope AS \"Value\" FROM eventbus_outbox WHERE topic = 'cases.poor-rating-escalated.v1'").ToListAsync();
    }

    private async Task<string> ApplicationNumberAsync(Guid rating) =>
        (await _cases.ExpectAsync(HttpStatusCode.OK, "hr-reviewer", HttpMethod.Get, $"/api/cases/ratings/{rating}")).GetProperty("applicationNumber").GetString()!;
}
