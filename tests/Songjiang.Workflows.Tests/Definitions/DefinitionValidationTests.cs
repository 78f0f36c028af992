using Songjiang.Workflows.Definitions;
using Songjiang.Workflows.Tests.Infrastructure;

namespace Songjiang.Workflows.Tests.Definitions;

public sealed class DefinitionValidationTests
{
    private static WorkflowDefinitionException Reject(string nodes) => Assert.Throws<WorkflowDefinitionException>(() =>
        WorkflowDefinitionCompiler.Compile($$"""{ "name": "x", "version": 1, "nodes": [ {{nodes}} ] }"""));

    private const string StartEnd = """
        { "id": "start", "kind": "start", "next": "end" }, { "id": "end", "kind": "end", "outcome": "done" }
        """;

    [Fact]
    public void Unknown_activity_kind_names_the_node()
    {
        var e = Reject(StartEnd + """, { "id": "mystery", "kind": "script", "next": "end" }""");
        Assert.Contains("node 'mystery': unknown activity kind 'script'", e.Errors);
    }

    [Fact]
    public void Dangling_transition_names_the_node_and_target()
    {
        var e = Reject("""
            { "id": "start", "kind": "start", "next": "review" }, { "id": "end", "kind": "end", "outcome": "done" },
            { "id": "review", "kind": "userTask", "department": "d", "roles": ["r"], "actions": { "approve": "approve2" } }
            """);
        Assert.Contains("node 'review': transition to unknown node 'approve2'", e.Errors);
    }

    [Fact]
    public void Error_path_to_an_unknown_node_names_the_node_and_target()
    {
        var e = Reject("""
            { "id": "start", "kind": "start", "next": "decide" }, { "id": "end", "kind": "end", "outcome": "done" },
            { "id": "decide", "kind": "decision", "cases": [ { "when": "a > 1", "to": "end" } ], "otherwise": "end", "onError": "manual" }
            """);
        Assert.Contains("node 'decide': transition to unknown node 'manual'", e.Errors);
    }

    [Fact]
    public void Unreachable_node_is_reported()
    {
        var e = Reject(StartEnd + """, { "id": "orphan", "kind": "timer", "after": "PT1H", "next": "end" }""");
        Assert.Contains("node 'orphan': unreachable from start", e.Errors);
    }

    [Fact]
    public void Fork_without_a_join_is_reported()
    {
        var e = Reject("""
            { "id": "start", "kind": "start", "next": "fork" }, { "id": "end", "kind": "end", "outcome": "done" },
            { "id": "fork", "kind": "fork", "branches": ["a", "b"], "join": "end" },
            { "id": "a", "kind": "timer", "after": "PT1H", "next": "end" },
            { "id": "b", "kind": "timer", "after": "PT1H", "next": "end" }
            """);
        Assert.Contains("node 'fork': missing join: 'end' is not a join node", e.Errors);
    }

    [Fact]
    public void Branch_that_never_reaches_its_join_is_reported()
    {
        var e = Reject("""
            { "id": "start", "kind": "start", "next": "fork" }, { "id": "end", "kind": "end", "outcome": "done" },
            { "id": "fork", "kind": "fork", "branches": ["a", "b"], "join": "join" },
            { "id": "a", "kind": "timer", "after": "PT1H", "next": "join" },
            { "id": "b", "kind": "timer", "after": "PT1H", "next": "end" },
            { "id": "join", "kind": "join", "next": "end" }
            """);
        Assert.Contains("node 'fork': branch 'b' never reaches its join 'join'", e.Errors);
    }

    [Fact]
    public void Invalid_decision_expression_names_the_node()
    {
        var e = Reject("""
            { "id": "start", "kind": "start", "next": "d" }, { "id": "end", "kind": "end", "outcome": "done" },
            { "id": "d", "kind": "decision", "cases": [ { "when": "Process.Start('x')", "to": "end" } ], "otherwise": "end" }
            """);
        Assert.Single(e.Errors, m => m.StartsWith("node 'd': 'when' is not a valid expression", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_required_fields_are_all_reported_at_once()
    {
        var e = Reject(StartEnd + """, { "id": "t", "kind": "userTask", "actions": { "ok": "end" } }""");
        Assert.Contains("node 't': 'department' is required", e.Errors);
        Assert.Contains("node 't': 'roles' is required", e.Errors);
    }

    [Fact]
    public void The_test_definitions_are_valid()
    {
        foreach (var json in new[] { TestDefinitions.Licence(), TestDefinitions.Parallel("nOfM", 2), TestDefinitions.WaitThenTimer, TestDefinitions.Bundle, TestDefinitions.Matter, TestDefinitions.TimeoutReview })
            Assert.NotNull(WorkflowDefinitionCompiler.Compile(json));
    }
}
