namespace Songjiang.Workflows.Tests.Infrastructure;

/// <summary>Definitions used across the tests, shaped like real case handling.</summary>
public static class TestDefinitions
{
    public static readonly WorkflowActor Clerk = new("clerk-1", "service-centre", ["clerk"]);
    public static readonly WorkflowActor Market = new("market-1", "market", ["reviewer"]);
    public static readonly WorkflowActor Fire = new("fire-1", "fire", ["reviewer"]);
    public static readonly WorkflowActor Applicant = new("applicant-1", "applicant", ["applicant"]);
    public static readonly WorkflowActor Admin = new("admin-1", "platform", ["admin"]);

    /// <summary>Accept (or send back for 补正) → parallel market and fire reviews → decision → event → end.</summary>
    public static string Licence(int version = 1, string approvedOutcome = "approved") => $$"""
    {
      "name": "licence", "version": {{version}}, "title": "Licence application", "statutoryWorkingDays": 20,
      "nodes": [
        { "id": "start", "kind": "start", "next": "accept" },
        { "id": "accept", "kind": "userTask", "title": "受理", "department": "service-centre", "roles": ["clerk"],
          "dueWorkingDays": 1, "actions": { "accept": "reviews", "correct": "correction", "reject": "rejected" } },
        { "id": "correction", "kind": "userTask", "title": "补正", "department": "applicant", "roles": ["applicant"],
          "pausesClock": true, "actions": { "resubmit": "accept" } },
        { "id": "reviews", "kind": "fork", "branches": ["marketReview", "fireReview"], "join": "reviewed" },
        { "id": "marketReview", "kind": "userTask", "department": "market", "roles": ["reviewer"], "dueWorkingDays": 5,
          "actions": { "approve": "reviewed", "reject": "reviewed" },
          "boundary": [
            { "id": "remind", "workingDays": 2, "action": "remind", "topic": "task.reminder" },
            { "id": "escalate", "workingDays": 4, "action": "escalate", "topic": "task.escalated" } ] },
        { "id": "fireReview", "kind": "userTask", "department": "fire", "roles": ["reviewer"],
          "actions": { "approve": "reviewed", "reject": "reviewed" } },
        { "id": "reviewed", "kind": "join", "mode": "all", "next": "decide" },
        { "id": "decide", "kind": "decision",
          "cases": [ { "when": "marketReview.action == 'approve' and fireReview.action == 'approve'", "to": "notify" } ],
          "otherwise": "rejected" },
        { "id": "notify", "kind": "serviceTask", "topic": "case.approved",
          "payload": { "caseId": "caseId", "investmentWan": "investment / 10000" }, "next": "approved" },
        { "id": "approved", "kind": "end", "outcome": "{{approvedOutcome}}" },
        { "id": "rejected", "kind": "end", "outcome": "rejected" }
      ]
    }
    """;

    /// <summary>Three departments in parallel with a configurable join.</summary>
    public static string Parallel(string mode, int count = 0) => $$"""
    {
      "name": "parallel-{{mode}}", "version": 1,
      "nodes": [
        { "id": "start", "kind": "start", "next": "fork" },
        { "id": "fork", "kind": "fork", "branches": ["a", "b", "c"], "join": "join" },
        { "id": "a", "kind": "userTask", "department": "market", "roles": ["reviewer"], "actions": { "done": "join" } },
        { "id": "b", "kind": "userTask", "department": "fire", "roles": ["reviewer"], "actions": { "done": "join" } },
        { "id": "c", "kind": "userTask", "department": "service-centre", "roles": ["clerk"], "actions": { "done": "join" } },
        { "id": "join", "kind": "join", "mode": "{{mode}}", "count": {{count}}, "next": "end" },
        { "id": "end", "kind": "end", "outcome": "done" }
      ]
    }
    """;

    /// <summary>Waits for a licence-issued event for the case, then a timer of one working day.</summary>
    public static readonly string WaitThenTimer = """
    {
      "name": "wait-timer", "version": 1,
      "nodes": [
        { "id": "start", "kind": "start", "next": "awaitLicence" },
        { "id": "awaitLicence", "kind": "waitEvent", "event": "LicenceIssued", "correlation": "caseId", "next": "cooling" },
        { "id": "cooling", "kind": "timer", "workingDays": 1, "next": "end" },
        { "id": "end", "kind": "end", "outcome": "issued" }
      ]
    }
    """;

    /// <summary>一件事: one child per matter; each child runs two parallel reviews.</summary>
    public static readonly string Bundle = """
    {
      "name": "bundle", "version": 1,
      "nodes": [
        { "id": "start", "kind": "start", "next": "fanOut" },
        { "id": "fanOut", "kind": "subWorkflow", "workflow": "matter", "forEach": "matters", "next": "end" },
        { "id": "end", "kind": "end", "outcome": "bundled" }
      ]
    }
    """;

    public static readonly string Matter = """
    {
      "name": "matter", "version": 1,
      "nodes": [
        { "id": "start", "kind": "start", "next": "fork" },
        { "id": "fork", "kind": "fork", "branches": ["market", "fire"], "join": "join" },
        { "id": "market", "kind": "userTask", "department": "market", "roles": ["reviewer"], "actions": { "approve": "join" } },
        { "id": "fire", "kind": "userTask", "department": "fire", "roles": ["reviewer"], "actions": { "approve": "join" } },
        { "id": "join", "kind": "join", "next": "end" },
        { "id": "end", "kind": "end", "outcome": "approved" }
      ]
    }
    """;

    /// <summary>A review that times out after 4 hours and is interrupted to an automatic outcome.</summary>
    public static readonly string TimeoutReview = """
    {
      "name": "timeout", "version": 1,
      "nodes": [
        { "id": "start", "kind": "start", "next": "review" },
        { "id": "review", "kind": "userTask", "department": "market", "roles": ["reviewer"],
          "actions": { "approve": "approved" },
          "boundary": [ { "id": "expire", "after": "PT4H", "action": "interrupt", "to": "expired" } ] },
        { "id": "approved", "kind": "end", "outcome": "approved" },
        { "id": "expired", "kind": "end", "outcome": "expired" }
      ]
    }
    """;

    /// <summary>一件事 the applicant may withdraw while the matters are still under review (join any).</summary>
    public static readonly string WithdrawableBundle = """
    {
      "name": "withdrawable", "version": 1,
      "nodes": [
        { "id": "start", "kind": "start", "next": "fork" },
        { "id": "fork", "kind": "fork", "branches": ["withdraw", "fanOut"], "join": "join" },
        { "id": "withdraw", "kind": "userTask", "department": "applicant", "roles": ["applicant"], "actions": { "withdraw": "join" } },
        { "id": "fanOut", "kind": "subWorkflow", "workflow": "matter", "forEach": "matters", "next": "join" },
        { "id": "join", "kind": "join", "mode": "any", "next": "end" },
        { "id": "end", "kind": "end", "outcome": "closed" }
      ]
    }
    """;

    /// <summary>A reviewer scores the case; the decision compares the score with a number.</summary>
    public static readonly string Scored = """
    {
      "name": "scored", "version": 1,
      "nodes": [
        { "id": "start", "kind": "start", "next": "review" },
        { "id": "review", "kind": "userTask", "department": "market", "roles": ["reviewer"], "actions": { "submit": "decide" } },
        { "id": "decide", "kind": "decision", "cases": [ { "when": "review.score >= 60", "to": "passed" } ], "otherwise": "failed" },
        { "id": "passed", "kind": "end", "outcome": "passed" },
        { "id": "failed", "kind": "end", "outcome": "failed" }
      ]
    }
    """;

    /// <summary>As <see cref="Scored"/>, but a score that cannot be compared goes to a manual review.</summary>
    public static readonly string ScoredWithErrorPath = """
    {
      "name": "scored-manual", "version": 1,
      "nodes": [
        { "id": "start", "kind": "start", "next": "review" },
        { "id": "review", "kind": "userTask", "department": "market", "roles": ["reviewer"], "actions": { "submit": "decide" } },
        { "id": "decide", "kind": "decision", "cases": [ { "when": "review.score >= 60", "to": "passed" } ], "otherwise": "failed",
          "onError": "manual" },
        { "id": "manual", "kind": "userTask", "department": "service-centre", "roles": ["clerk"], "actions": { "pass": "passed", "fail": "failed" } },
        { "id": "passed", "kind": "end", "outcome": "passed" },
        { "id": "failed", "kind": "end", "outcome": "failed" }
      ]
    }
    """;
}
