using System.Net;
using System.Text.Json;
using Songjiang.Cases.Tests.Support;
using Songjiang.Testing;
using static Songjiang.Cases.Tests.Support.ApprovalProcedures;

namespace Songjiang.Cases.Tests;

/// <summary>
/// An administrator moves running cases to a new version of their procedure through the gateway: a dry run per
/// case, a case inside a 会签 refused, a case moved that keeps its clock and completes on the new version (after an
/// incident on the new version's decision is corrected and retried).
/// </summary>
public sealed class ProcedureMigrationTests(CasesPlatform platform) : IClassFixture<CasesPlatform>
{
    private const string Admin = "admin";
    private readonly CaseDriver _cases = new(platform);

    [Fact]
    public async Task Running_cases_move_to_a_new_procedure_version_keeping_their_clocks_and_one_inside_a_countersign_is_refused()
    {
        await PublishAsync(_cases, Countersigned);
        var inCountersign = await SubmitAsync(_cases);
        await _cases.ActAsync("hr-clerk", inCountersign, "accept");
        await _cases.ActAsync("hr-reviewer", inCountersign, "approve", "提请会签");
        var atReview = await SubmitAsync(_cases, "ent-g60bio", CaseDriver.G60Bio);
        await _cases.ActAsync("hr-clerk", atReview, "accept");
        var due = (await _cases.ApplicationAsync("ent-g60bio", atReview)).GetProperty("summary").GetProperty("statutoryDueAt").GetDateTimeOffset();

        // The console's reads: versions with their graphs and running cases by step; caseworkers are refused.
        await _cases.ExpectAsync(HttpStatusCode.Forbidden, "hr-approver", HttpMethod.Get, "/api/cases/admin/workflows/definitions");
        var definitions = await _cases.ExpectAsync(HttpStatusCode.OK, Admin, HttpMethod.Get, "/api/cases/admin/workflows/definitions");
        var v2 = definitions.EnumerateArray().Single(d => d.GetProperty("name").GetString() == "standard-approval" && d.GetProperty("version").GetInt32() == 20);
        Assert.Equal(2, v2.GetProperty("activeInstances").GetInt32());
        var graph = await _cases.ExpectAsync(HttpStatusCode.OK, Admin, HttpMethod.Get, "/api/cases/admin/workflows/definitions/standard-approval/versions/20");
        Assert.Contains(graph.GetProperty("edges").EnumerateArray(), e => e.GetProperty("from").GetString() == "review" && e.GetProperty("to").GetString() == "countersign");
        await _cases.ExpectAsync(HttpStatusCode.NotFound, Admin, HttpMethod.Get, "/api/cases/admin/workflows/definitions/standard-approval/versions/9");
        var waiting = await _cases.ExpectAsync(HttpStatusCode.OK, Admin, HttpMethod.Get,
            "/api/cases/admin/workflows/instances?definition=standard-approval&step=review&pageSize=10");
        Assert.Equal(atReview, Assert.Single(waiting.GetProperty("items").EnumerateArray()).GetProperty("correlation").GetString());
        await _cases.ExpectAsync(HttpStatusCode.BadRequest, Admin, HttpMethod.Get, "/api/cases/admin/workflows/instances?status=sleeping");

        await PublishAsync(_cases, Scored);
        var badMapping = await _cases.ExpectAsync(HttpStatusCode.BadRequest, Admin, HttpMethod.Post,
            "/api/cases/admin/workflows/definitions/standard-approval/migrations", new { toVersion = 21, mapping = new { review = "nowhere" } });
        Assert.True(badMapping.GetProperty("errors").TryGetProperty("mapping", out _));

        var plan = Outcomes(await _cases.ExpectAsync(HttpStatusCode.OK, Admin, HttpMethod.Post,
            "/api/cases/admin/workflows/definitions/standard-approval/migrations",
            new { toVersion = 21, mapping = new { review = "examine" }, dryRun = true }));
        Assert.Equal("refused", plan[inCountersign].Outcome);
        Assert.Contains("会签", plan[inCountersign].Reason, StringComparison.Ordinal);
        Assert.Equal("movable", plan[atReview].Outcome);
        Assert.Equal("review", Assert.Single(await _cases.TasksAsync("hr-reviewer", atReview)).GetProperty("step").GetString());

        var moved = Outcomes(await _cases.ExpectAsync(HttpStatusCode.OK, Admin, HttpMethod.Post,
            "/api/cases/admin/workflows/definitions/standard-approval/migrations",
            new { toVersion = 21, mapping = new { review = "examine" }, dryRun = false }));
        Assert.Equal(("refused", "moved"), (moved[inCountersign].Outcome, moved[atReview].Outcome));

        // The moved case waits at the renamed step with its statutory deadline unchanged.
        var examine = Assert.Single(await _cases.TasksAsync("hr-reviewer", atReview));
        Assert.Equal(("examine", "评分审查"), (examine.GetProperty("step").GetString(), examine.GetProperty("title").GetString()));
        Assert.Equal(due, (await _cases.ApplicationAsync("ent-g60bio", atReview)).GetProperty("summary").GetProperty("statutoryDueAt").GetDateTimeOffset());
        var timeline = await _cases.ExpectAsync(HttpStatusCode.OK, "ent-g60bio", HttpMethod.Get, $"/api/cases/applications/{atReview}/timeline");
        Assert.Contains("第 20 版 → 第 21 版", timeline.EnumerateArray().Single(e => e.GetProperty("event").GetString() == "migrated").GetProperty("detail").GetString(),
            StringComparison.Ordinal);
        Assert.Single(await _cases.TasksAsync("tax-reviewer", inCountersign));

        // The new version's decision reads a score the form does not carry: an incident the administrator corrects and retries.
        await _cases.ActAsync("hr-reviewer", atReview, "approve", "审查通过");
        var incidents = await _cases.ExpectAsync(HttpStatusCode.OK, Admin, HttpMethod.Get, "/api/cases/admin/workflows/incidents?definition=standard-approval");
        var incident = Assert.Single(incidents.GetProperty("items").EnumerateArray());
        Assert.Equal((atReview, "scored"), (incident.GetProperty("correlation").GetString(), incident.GetProperty("step").GetString()));
        Assert.Contains("cannot compare", incident.GetProperty("error").GetString(), StringComparison.Ordinal);
        var instance = incident.GetProperty("instanceId").GetGuid();
        await _cases.ExpectAsync(HttpStatusCode.Forbidden, "hr-approver", HttpMethod.Post, $"/api/cases/admin/workflows/instances/{instance}/retry", new { });
        var retried = await _cases.ExpectAsync(HttpStatusCode.OK, Admin, HttpMethod.Post, $"/api/cases/admin/workflows/instances/{instance}/retry",
            new { corrections = new { examine = new { action = "approve", score = 80 } } });
        Assert.True(retried.GetProperty("applied").GetBoolean());
        Assert.Equal(0, (await _cases.ExpectAsync(HttpStatusCode.OK, Admin, HttpMethod.Get, "/api/cases/admin/workflows/incidents")).GetProperty("total").GetInt32());

        await _cases.ActAsync("hr-approver", atReview, "approve", "准予注销登记");
        var done = (await _cases.ApplicationAsync("ent-g60bio", atReview)).GetProperty("summary");
        Assert.Equal(("completed", "approved"), (done.GetProperty("status").GetString(), done.GetProperty("outcome").GetString()));
        var audit = await AuditAsync(_cases, "hr-approver", atReview);
        Assert.Contains(audit, e => e.Event == "cancelled");
    }

    private static Dictionary<string, (string Outcome, string? Reason)> Outcomes(JsonElement results) =>
        results.EnumerateArray().ToDictionary(
            r => r.GetProperty("correlation").GetString()!,
            r => (r.GetProperty("outcome").GetString()!, r.TryGetProperty("reason", out var reason) ? reason.GetString() : null));
}
