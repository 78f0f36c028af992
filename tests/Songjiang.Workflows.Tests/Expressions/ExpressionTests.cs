using System.Text.Json.Nodes;
using Songjiang.Workflows.Expressions;

namespace Songjiang.Workflows.Tests.Expressions;

public sealed class ExpressionTests
{
    private static readonly JsonObject Data = JsonNode.Parse("""
        { "amount": 120, "credit": "A", "district": "310117", "applied": "2025-09-30",
          "applicant": { "listed": true, "headcount": 80 }, "tags": ["hightech", "smb"] }
        """)!.AsObject();

    private static object? Evaluate(string text) =>
        ExpressionParser.Parse(text).Evaluate(new EvaluationScope(Data, new DateOnly(2025, 10, 9)));

    [Theory]
    [InlineData("amount > 100 and credit == 'A'", true)]
    [InlineData("amount * 2 - 40 == 200", true)]
    [InlineData("not (amount <= 100) or false", true)]
    [InlineData("credit in ['A', 'B']", true)]
    [InlineData("credit not in ['C', 'D']", true)]
    [InlineData("'hightech' in tags", true)]
    [InlineData("applicant.listed and applicant.headcount >= 80", true)]
    [InlineData("applied + 10 > date('2025-10-09')", true)]
    [InlineData("today() - applied == 9", true)]
    [InlineData("missing.field == null", true)]
    [InlineData("missing != null and missing.x > 1", false)]
    [InlineData("-amount < 0", true)]
    public void Evaluates_comparisons_logic_membership_and_date_arithmetic(string expression, bool expected) =>
        Assert.Equal(expected, Evaluate(expression));

    [Theory]
    [InlineData("System.IO.File.Delete('x')")]
    [InlineData("amount = 1")]
    [InlineData("exec('rm')")]
    [InlineData("amount > ")]
    [InlineData("'unterminated")]
    [InlineData("amount; credit")]
    public void Rejects_anything_outside_the_grammar(string expression) =>
        Assert.Throws<ExpressionException>(() => ExpressionParser.Parse(expression).Evaluate(new EvaluationScope(Data, default)));

    [Fact]
    public void Comparing_a_number_with_text_is_an_error_not_false() =>
        Assert.Throws<ExpressionException>(() => Evaluate("amount > credit"));

    [Fact]
    public void Numbers_a_host_built_in_memory_read_like_parsed_ones()
    {
        var data = new JsonObject { ["score"] = 80, ["ratio"] = 0.5, ["big"] = 1e300 };
        object? Run(string text) => ExpressionParser.Parse(text).Evaluate(new EvaluationScope(data, default));

        Assert.Equal(true, Run("score >= 60 and ratio * 2 == 1"));
        Assert.Throws<ExpressionException>(() => Run("big > 1"));
    }
}
