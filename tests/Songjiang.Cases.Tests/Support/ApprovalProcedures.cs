using System.Net;
using System.Text.Json;
using Songjiang.Testing;

namespace Songjiang.Cases.Tests.Support;

/// <summary>
/// Versions of the general approval procedure an administrator publishes: with 转办 to tax at the review, a 会签 of
/// tax and market regulation (all), a 联合会签 of three departments (two of three), and an approver's decision.
/// </summary>
public static class ApprovalProcedures
{
    /// <summary>Version 20: review → 会签 (all) → 联合会签 (two of three) → decision.</summary>
    public const string Countersigned = """
    {
      "name": "standard-approval", "version": 20, "title": "一般审批：受理、审查、会签、决定",
      "statutoryWorkingDaysFrom": "matter.statutoryLimitDays",
      "nodes": [
        { "id": "start", "kind": "start", "next": "accept" },
        { "id": "accept", "kind": "userTask", "status": "submitted", "title": "受理", "departmentFrom": "matter.department", "roles": ["window-clerk"],
          "dueWorkingDays": 1, "actions": { "accept": "review", "correct": "correction", "reject": "rejected" } },
        { "id": "correction", "kind": "userTask", "status": "correction-requested", "title": "补正材料", "department": "applicant", "roles": ["enterprise"],
          "pausesClock": true, "actions": { "resubmit": "accept", "withdraw": "withdrawn" } },
        { "id": "review", "kind": "userTask", "status": "under-review", "title": "审查", "departmentFrom": "matter.department", "roles": ["reviewer"],
          "dueWorkingDays": 3, "transferTo": ["tax"], "actions": { "approve": "countersign", "reject": "rejected" } },
        { "id": "countersign", "kind": "userTask", "status": "under-review", "title": "部门会签", "roles": ["reviewer"],
          "countersign": { "signers": [ { "department": "tax" }, { "department": "market-regulation" } ], "agree": "agree" },
          "actions": { "agree": "joint", "disagree": "rejected" } },
        { "id": "joint", "kind": "userTask", "status": "under-review", "title": "联合会签", "roles": ["reviewer"],
          "countersign": { "signers": [ { "department": "human-resources" }, { "department": "tax" }, { "department": "market-regulation" } ],
            "quorum": 2, "agree": "agree" },
          "actions": { "agree": "decide", "disagree": "rejected" } },
        { "id": "decide", "kind": "userTask", "status": "under-review", "title": "审批决定", "departmentFrom": "matter.department", "roles": ["approver"],
          "actions": { "approve": "approved", "reject": "rejected" } },
        { "id": "approved", "kind": "end", "outcome": "approved" },
        { "id": "rejected", "kind": "end", "outcome": "rejected" },
        { "id": "withdrawn", "kind": "end", "outcome": "withdrawn" }
      ]
    }
    """;

    /// <summary>
    /// Version 21: the review is renamed "examine", takes a score, and a decision on the score leads to the approver;
    /// the 会签 steps are gone.
    /// </summary>
    public const string Scored = """
    {
      "name": "standard-approval", "version": 21, "title": "一般审批：受理、评分审查、决定",
      "statutoryWorkingDaysFrom": "matter.statutoryLimitDays",
      "nodes": [
        { "id": "start", "kind": "start", "next": "accept" },
        { "id": "accept", "kind": "userTask", "status": "submitted", "title": "受理", "departmentFrom": "matter.department", "roles": ["window-clerk"],
          "dueWorkingDays": 1, "actions": { "accept": "examine", "correct": "correction", "reject": "rejected" } },
        { "id": "correction", "kind": "userTask", "status": "correction-requested", "title": "补正材料", "department": "applicant", "roles": ["enterprise"],
          "pausesClock": true, "actions": { "resubmit": "accept", "withdraw": "withdrawn" } },
        { "id": "examine", "kind": "userTask", "status": "under-review", "title": "评分审查", "departmentFrom": "matter.department", "roles": ["reviewer"],
          "dueWorkingDays": 3, "actions": { "approve": "scored", "reject": "rejected" } },
        { "id": "scored", "kind": "decision", "cases": [ { "when": "examine.score >= 60", "to": "decide" } ], "otherwise": "rejected" },
        { "id": "decide", "kind": "userTask", "status": "under-review", "title": "审批决定", "departmentFrom": "matter.department", "roles": ["approver"],
          "actions": { "approve": "approved", "reject": "rejected" } },
        { "id": "approved", "kind": "end", "outcome": "approved" },
        { "id": "rejected", "kind": "end", "outcome": "rejected" },
        { "id": "withdrawn", "kind": "end", "outcome": "withdrawn" }
      ]
    }
    """;

    /// <summary>Publishes a version as the administrator (publishing the same JSON again is accepted).</summary>
    public static async Task PublishAsync(CaseDriver cases, string definition)
    {
        using var response = await cases.SendAsync("admin", HttpMethod.Post, "/api/cases/admin/workflows/definitions",
            new StringContent(definition, System.Text.Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Submits a social-insurance deregistration (人社, standard approval) and returns its number.</summary>
    public static async Task<string> SubmitAsync(CaseDriver cases, string user = "ent-zhisuan", string uscc = CaseDriver.Zhisuan)
    {
        var view = await cases.SubmitAsync(user, new
        {
            matterCode = "SJ-RS-002",
            form = new { uscc, reason = "企业经营调整，员工全部转入集团公司参保", arrearsSettled = true },
            materials = await cases.UploadAllAsync(user, "application", "settlement"),
        });
        return view.GetProperty("summary").GetProperty("number").GetString()!;
    }

    /// <summary>The id of the user's single open task on the application.</summary>
    public static async Task<Guid> TaskOfAsync(CaseDriver cases, string user, string number) =>
        Assert.Single(await cases.TasksAsync(user, number)).GetProperty("id").GetGuid();

    /// <summary>The audit history's events as (event, actor name, detail).</summary>
    public static async Task<List<(string Event, string ByName, string? Detail)>> AuditAsync(CaseDriver cases, string user, string number)
    {
        var audit = await cases.ExpectAsync(HttpStatusCode.OK, user, HttpMethod.Get, $"/api/cases/applications/{number}/audit");
        return [.. audit.EnumerateArray().Select(e => (e.GetProperty("event").GetString()!, e.GetProperty("byName").GetString()!,
            e.TryGetProperty("detail", out var detail) ? detail.GetString() : null))];
    }

    /// <summary>A demo user's id (the token's subject), as tasks and 加签 name them.</summary>
    public static async Task<string> SubjectAsync(CaseDriver cases, string user)
    {
        var parts = (await cases.TokenAsync(user)).Split('.');
        Assert.Equal(3, parts.Length);
        var payload = parts[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - payload.Length % 4) % 4), '=');
        using var claims = JsonDocument.Parse(Convert.FromBase64String(payload));
        return claims.RootElement.GetProperty("sub").GetString()!;
    }
}
