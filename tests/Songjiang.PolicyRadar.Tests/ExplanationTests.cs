using Songjiang.PolicyRadar.Api.Application;
using Songjiang.PolicyRadar.Api.Criteria;
using System.Text.Json;

namespace Songjiang.PolicyRadar.Tests;

public sealed class ExplanationTests
{
    private static readonly DateOnly Today = new(2026, 11, 28);

    private static readonly EnterpriseFacts Firm = new(
        "91310117MA1J3GKL0Q", "guangfulin", "I6513", new DateOnly(2019, 6, 18), 86, 6800m, 920m, "Small", false, "Operating", "A",
        [new HeldQualification("tech-sme", new DateOnly(2025, 5, 1), new DateOnly(2026, 12, 31))]);

    private const string Criteria = """
        { "all": [
            { "field": "location", "op": "in", "value": ["guangfulin", "jiuting"] },
            { "field": "sizeClass", "op": "in", "value": ["Small", "Micro"] },
            { "any": [
                { "field": "qualification", "op": "has", "value": "high-tech" },
                { "field": "qualification", "op": "has", "value": "tech-sme" } ] },
            { "not": { "field": "isListed", "op": "eq", "value": true } },
            { "field": "yearsSinceFounding", "op": "between", "value": [3, 10] } ] }
        """;

    [Fact]
    public void Every_clause_is_explained_with_the_actual_and_required_values()
    {
        var verdict = Compile(Criteria).Evaluate(Firm, Today);

        Assert.True(verdict.Eligible);
        var clauses = verdict.Explanation.Children;
        Assert.Equal(("$.all[0]", "所在街镇或城市 属于 guangfulin、jiuting", "guangfulin", "属于 guangfulin、jiuting"),
            (clauses[0].Path, clauses[0].Description, clauses[0].Actual, clauses[0].Required));
        Assert.Equal(("Small", "属于 Small、Micro"), (clauses[1].Actual, clauses[1].Required));
        Assert.Equal([false, true], clauses[2].Children.Select(c => c.Met));
        Assert.Equal("tech-sme", clauses[2].Children[0].Actual);
        Assert.Equal(("not", true, "否"), (clauses[3].Kind, clauses[3].Met, clauses[3].Children[0].Actual));
        Assert.Equal(("7", "在 3 至 10 之间"), (clauses[4].Actual, clauses[4].Required));
    }

    [Fact]
    public void Pushed_reasons_name_each_met_condition_in_plain_Chinese()
    {
        var reasons = Reasons.From(Compile(Criteria).Evaluate(Firm, Today).Explanation);

        Assert.Equal(
        [
            "所在街镇或城市 属于 guangfulin、jiuting（企业：guangfulin）",
            "企业规模 属于 小型、微型（企业：小型）",
            "有效资质 持有有效的 科技型中小企业（企业：科技型中小企业）",
            "不属于：是否上市 = 是（企业：否）",
            "成立年限（年） 在 3 至 10 之间（企业：7）",
        ], reasons);
    }

    [Fact]
    public void A_failing_enterprise_is_told_exactly_what_is_missing()
    {
        var verdict = Compile(Criteria).Evaluate(Firm with { FoundedOn = new DateOnly(2024, 12, 1) }, Today);

        Assert.False(verdict.Eligible);
        Assert.True(verdict.IsNearMiss);
        var missing = Assert.Single(verdict.Missing);
        Assert.Equal(("$.all[4]", "成立年限（年） 在 3 至 10 之间", "1", "在 3 至 10 之间"), (missing.Path, missing.Description, missing.Actual, missing.Required));
    }

    private static CompiledCriteria Compile(string json) =>
        CompiledCriteria.Compile(CriteriaParser.Parse(JsonDocument.Parse(json).RootElement).Criteria!);
}
