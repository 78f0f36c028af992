namespace Songjiang.Workflows.Tests.Infrastructure;

/// <summary>Definitions for 退回, 会签, 加签, 转办 and migration.</summary>
public static class ApprovalDefinitions
{
    public static readonly WorkflowActor MarketApprover = new("market-boss", "market", ["approver"]);
    public static readonly WorkflowActor MarketColleague = new("market-2", "market", ["reviewer"]);
    public static readonly WorkflowActor FireChief = new("fire-chief", "fire", ["reviewer"]);

    /// <summary>Accept → review (转办 to fire allowed) → 会签 of market, fire and the service centre → decision → end.</summary>
    public static string Approval(string quorum = "", bool sendBackPausesClock = false) => $$"""
    {
      "name": "approval", "version": 1, "title": "审批", "statutoryWorkingDays": 20, "sendBackPausesClock": {{(sendBackPausesClock ? "true" : "false")}},
      "nodes": [
        { "id": "start", "kind": "start", "next": "accept" },
        { "id": "accept", "kind": "userTask", "title": "受理", "department": "service-centre", "roles": ["clerk"],
          "actions": { "accept": "review", "reject": "rejected" } },
        { "id": "review", "kind": "userTask", "title": "审查", "department": "market", "roles": ["reviewer"], "transferTo": ["fire"],
          "actions": { "approve": "countersign", "reject": "rejected" },
          "boundary": [ { "id": "overdue", "workingDays": 3, "action": "escalate", "topic": "task.overdue" } ] },
        { "id": "countersign", "kind": "userTask", "title": "会签", "roles": ["reviewer"],
          "countersign": { "signers": [ { "department": "market" }, { "department": "fire" }, { "department": "service-centre", "roles": ["clerk"] } ]
            {{quorum}}, "agree": "agree" },
          "actions": { "agree": "decide", "disagree": "rejected" } },
        { "id": "decide", "kind": "userTask", "title": "决定", "department": "market", "roles": ["approver"],
          "actions": { "approve": "approved", "reject": "rejected" } },
        { "id": "approved", "kind": "end", "outcome": "approved" },
        { "id": "rejected", "kind": "end", "outcome": "rejected" }
      ]
    }
    """;

    /// <summary>Version 1 of a procedure: accept → parallel checks → review.</summary>
    public static readonly string MovingV1 = """
    {
      "name": "moving", "version": 1, "statutoryWorkingDays": 20,
      "nodes": [
        { "id": "start", "kind": "start", "next": "accept" },
        { "id": "accept", "kind": "userTask", "title": "受理", "department": "service-centre", "roles": ["clerk"], "actions": { "accept": "fork" } },
        { "id": "fork", "kind": "fork", "branches": ["a", "b"], "join": "join" },
        { "id": "a", "kind": "userTask", "department": "market", "roles": ["reviewer"], "actions": { "done": "join" } },
        { "id": "b", "kind": "userTask", "department": "fire", "roles": ["reviewer"], "actions": { "done": "join" } },
        { "id": "join", "kind": "join", "next": "review" },
        { "id": "review", "kind": "userTask", "title": "审查", "department": "market", "roles": ["reviewer"], "actions": { "approve": "approved" } },
        { "id": "approved", "kind": "end", "outcome": "approved" }
      ]
    }
    """;

    /// <summary>Version 2: the review is renamed "check" and an approver decides after it.</summary>
    public static readonly string MovingV2 = """
    {
      "name": "moving", "version": 2, "statutoryWorkingDays": 20,
      "nodes": [
        { "id": "start", "kind": "start", "next": "accept" },
        { "id": "accept", "kind": "userTask", "title": "受理", "department": "service-centre", "roles": ["clerk"], "actions": { "accept": "fork" } },
        { "id": "fork", "kind": "fork", "branches": ["a", "b"], "join": "join" },
        { "id": "a", "kind": "userTask", "department": "market", "roles": ["reviewer"], "actions": { "done": "join" } },
        { "id": "b", "kind": "userTask", "department": "fire", "roles": ["reviewer"], "actions": { "done": "join" } },
        { "id": "join", "kind": "join", "next": "check" },
        { "id": "check", "kind": "userTask", "title": "审查（新）", "department": "market", "roles": ["reviewer"], "actions": { "approve": "decide" } },
        { "id": "decide", "kind": "userTask", "title": "决定", "department": "market", "roles": ["approver"], "actions": { "approve": "approved" } },
        { "id": "approved", "kind": "end", "outcome": "approved-v2" }
      ]
    }
    """;
}
