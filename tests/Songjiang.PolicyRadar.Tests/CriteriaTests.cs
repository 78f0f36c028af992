using Songjiang.PolicyRadar.Api.Criteria;
using System.Text.Json;

namespace Songjiang.PolicyRadar.Tests;

public sealed class CriteriaTests
{
    private static readonly DateOnly Today = new(2026, 11, 28);

    private static readonly EnterpriseFacts SoftwareFirm = new(
        "91310117MA1J3GKL0Q", "guangfulin", "I6513", new DateOnly(2019, 6, 18), 86, 6800m, 920m, "Small", false, "Operating", "A",
        [new HeldQualification("high-tech", new DateOnly(2023, 11, 15), new DateOnly(2026, 11, 14)),
         new HeldQualification("tech-sme", new DateOnly(2025, 5, 1), new DateOnly(2026, 12, 31))]);

    // A typical Songjiang R&D subsidy: software or integrated circuits, in Songjiang, 3+ years, R&D ≥ 3%, good credit.
    private const string RdSubsidy = """
        { "all": [
            { "field": "industryCode", "op": "startsWith", "value": ["I65", "C397"] },
            { "field": "location", "op": "in", "value": ["guangfulin", "jiuting", "dongjing"] },
            { "field": "yearsSinceFounding", "op": "gte", "value": 3 },
            { "field": "rdRatio", "op": "gte", "value": 0.03 },
            { "field": "creditRating", "op": "in", "value": ["A", "B"] },
            { "not": { "field": "isListed", "op": "eq", "value": true } },
            { "any": [
                { "field": "qualification", "op": "has", "value": "tech-sme" },
                { "field": "qualification", "op": "has", "value": "high-tech" } ] } ] }
        """;

    [Fact]
    public void Eligible_enterprise_gets_every_clause_explained_with_actual_and_required_values()
    {
        var verdict = Compile(RdSubsidy).Evaluate(SoftwareFirm, Today);

        Assert.True(verdict.Eligible);
        var rd = verdict.Explanation.Children[3];
        Assert.Equal("$.all[3]", rd.Path);
        Assert.True(rd.Met);
        Assert.Equal("0.1353", rd.Actual);
        Assert.Equal("≥ 0.03", rd.Required);
    }

    [Fact]
    public void Qualifications_count_only_while_valid_on_the_evaluation_date()
    {
        var verdict = Compile("""{ "field": "qualification", "op": "has", "value": "high-tech" }""").Evaluate(SoftwareFirm, Today);

        Assert.False(verdict.Eligible);   // expired on 2026-11-14
        Assert.Equal("tech-sme", verdict.Explanation.Actual);
        Assert.True(Compile("""{ "field": "qualification", "op": "has", "value": "high-tech" }""").Evaluate(SoftwareFirm, new DateOnly(2026, 1, 1)).Eligible);
    }

    [Fact]
    public void Near_miss_names_the_one_missing_condition()
    {
        var younger = SoftwareFirm with { FoundedOn = new DateOnly(2024, 6, 1) };

        var verdict = Compile(RdSubsidy).Evaluate(younger, Today);

        Assert.False(verdict.Eligible);
        Assert.True(verdict.IsNearMiss);
        var missing = Assert.Single(verdict.Missing);
        Assert.Equal("$.all[2]", missing.Path);
        Assert.Equal("2", missing.Actual);
        Assert.Equal("≥ 3", missing.Required);
    }

    [Fact]
    public void Failing_two_conditions_is_not_a_near_miss()
    {
        var verdict = Compile(RdSubsidy).Evaluate(SoftwareFirm with { CreditRating = "C", Location = "330400" }, Today);

        Assert.False(verdict.IsNearMiss);
        Assert.Equal(2, verdict.Missing.Count);
    }

    [Theory]
    [InlineData("""{ "field": "employees", "op": "between", "value": [10, 100] }""", true)]
    [InlineData("""{ "field": "employees", "op": "between", "value": [100, 300] }""", false)]
    [InlineData("""{ "field": "sizeClass", "op": "in", "value": ["Small", "Micro"] }""", true)]
    [InlineData("""{ "field": "stage", "op": "eq", "value": "Operating" }""", true)]
    [InlineData("""{ "field": "industryCode", "op": "notIn", "value": ["I6513"] }""", false)]
    [InlineData("""{ "not": { "field": "creditRating", "op": "eq", "value": "A" } }""", false)]
    [InlineData("""{ "any": [ { "field": "annualRevenue", "op": "gt", "value": 100000 }, { "field": "isListed", "op": "eq", "value": false } ] }""", true)]
    public void Operators_evaluate_as_documented(string criteria, bool expected)
    {
        Assert.Equal(expected, Compile(criteria).Evaluate(SoftwareFirm, Today).Eligible);
    }

    [Theory]
    [InlineData("""{ "field": "turnover", "op": "gte", "value": 1 }""", "$", "这一条件字段")]
    [InlineData("""{ "all": [ { "field": "employees", "op": "startsWith", "value": "1" } ] }""", "$.all[0]", "不能使用运算符")]
    [InlineData("""{ "all": [ {}, { "field": "employees", "op": "gte", "value": "many" } ] }""", "$.all[1]", "须为数值")]
    [InlineData("""{ "any": [] }""", "$.any", "至少包含一个子句")]
    [InlineData("""{ "field": "creditRating", "op": "in", "value": ["AAA"] }""", "$", "不能取")]
    [InlineData("""{ "field": "employees", "op": "between", "value": [300, 10] }""", "$", "先写最小值")]
    [InlineData("""{ "not": { "field": "employees", "op": "gte" } }""", "$.not", "请用 value 填写")]
    [InlineData("""[1, 2]""", "$", "须为 JSON 对象")]
    public void Invalid_criteria_are_rejected_naming_the_clause(string criteria, string path, string message)
    {
        var (parsed, errors) = CriteriaParser.Parse(JsonDocument.Parse(criteria).RootElement);

        Assert.Null(parsed);
        Assert.Contains(message, errors[path][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Expression_strings_are_data_not_code()
    {
        var (parsed, errors) = CriteriaParser.Parse(JsonDocument.Parse("""{ "field": "employees > 5 || true", "op": "eq", "value": 1 }""").RootElement);

        Assert.Null(parsed);
        Assert.Contains("这一条件字段", errors["$"][0], StringComparison.Ordinal);
    }

    private static CompiledCriteria Compile(string json)
    {
        var (criteria, errors) = CriteriaParser.Parse(JsonDocument.Parse(json).RootElement);
        Assert.True(criteria is not null, string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        return CompiledCriteria.Compile(criteria!);
    }
}
