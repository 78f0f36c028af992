using Songjiang.PolicyRadar.Api.Criteria;
using Songjiang.PolicyRadar.Api.Matching;
using System.Globalization;

namespace Songjiang.PolicyRadar.Tests;

/// <summary>
/// The indexed path (sets over the postings, range tests on the columns) must find exactly the enterprises the
/// compiled criteria accept when run on every profile, for any criteria the language allows.
/// </summary>
public sealed class MatchPlanTests : IDisposable
{
    private static readonly DateOnly Today = new(2026, 11, 28);
    private static readonly string[] Locations = ["guangfulin", "jiuting", "xinqiao", "dongjing", "sijing", "chedun", "yueyang", "330400", "320500", "340100"];
    private static readonly string[] Codes = ["I6513", "I6520", "C3973", "C2710", "C3589", "C3841", "R8710", "C2614", "M7340", "F5191", "C3969", "I6450"];
    private static readonly string[] Kinds = ["high-tech", "tech-sme", "tech-giant", "specialised-sme", "gazelle", "headquarters"];
    private static readonly string[] Sizes = ["Micro", "Small", "Medium", "Large"];
    private static readonly string[] Stages = ["Operating", "Changing", "Establishing", "Deregistering", "Deregistered"];
    private static readonly string[] Ratings = ["A", "B", "C", "D"];

    private readonly MatchingEngine _engine = new();

    public void Dispose() => _engine.Dispose();

    [Fact]
    public void Random_criteria_find_the_same_enterprises_through_the_index_as_on_every_profile()
    {
        var enterprises = MatchingEngineTests.Synthetic(2000, seed: 21).ToList();
        enterprises.ForEach(e => _engine.UpsertEnterprise(e, e.Uscc));
        var random = new Random(4);
        var policies = Enumerable.Range(0, 400).Select(_ => MatchingEngineTests.Compile(Criteria(random))).ToList();

        AssertAgree(policies, Today);
        // Another day: ages and qualification validity move with the date.
        AssertAgree(policies, Today.AddYears(1).AddDays(-40));

        // Changed profiles: the postings, the columns and the per-day cache follow.
        foreach (var facts in enterprises.Take(300))
        {
            _engine.UpsertEnterprise(facts with
            {
                Employees = random.Next(1, 300),
                FoundedOn = Today.AddDays(-random.Next(0, 4000)),
                Location = Locations[random.Next(Locations.Length)],
                Qualifications = [new HeldQualification(Kinds[random.Next(Kinds.Length)], Today.AddDays(-random.Next(0, 300)), Today.AddDays(random.Next(-10, 300)))],
            }, facts.Uscc);
        }
        AssertAgree(policies, Today);
    }

    [Theory]
    [InlineData("employees", "gte", "99.5")]
    [InlineData("employees", "gt", "99.5")]
    [InlineData("employees", "lte", "99.5")]
    [InlineData("employees", "lt", "99.5")]
    [InlineData("employees", "eq", "99.5")]
    [InlineData("employees", "ne", "99.5")]
    [InlineData("employees", "eq", "100")]
    [InlineData("employees", "ne", "100")]
    [InlineData("employees", "gt", "100")]
    [InlineData("employees", "lt", "-79228162514264337593543950335")]
    [InlineData("employees", "gt", "79228162514264337593543950335")]
    [InlineData("employees", "lte", "79228162514264337593543950335")]
    [InlineData("rdRatio", "gte", "0.03")]
    [InlineData("rdRatio", "gt", "0.03")]
    [InlineData("rdRatio", "gte", "0.03005")]
    [InlineData("rdRatio", "lt", "0.03005")]
    [InlineData("rdRatio", "eq", "0.0300")]
    [InlineData("rdRatio", "ne", "0.03001")]
    [InlineData("rdRatio", "lte", "100000000000000000000")]
    [InlineData("rdRatio", "gt", "-100000000000000000000")]
    public void Whole_number_columns_compare_with_fractional_and_extreme_bounds_as_decimals_do(string field, string op, string value)
    {
        // R&D ratios 0.0299, 0.03, 0.0301 and one beyond any scale (spending far above revenue).
        (int Employees, decimal Revenue, decimal Rd)[] rows = [(0, 10_000, 299), (99, 10_000, 300), (100, 10_000, 301), (101, 0.0001m, 79_000_000_000_000_000m)];
        foreach (var (employees, revenue, rd) in rows)
        {
            _engine.UpsertEnterprise(MatchingEngineTests.Synthetic(1, seed: employees).Single() with
            {
                Employees = employees, AnnualRevenue = revenue, RdSpending = rd, Stage = "Operating",
            }, $"企业{employees}");
        }
        var policy = MatchingEngineTests.Compile($$"""{ "field": "{{field}}", "op": "{{op}}", "value": {{value}} }""");

        var naive = _engine.EligibleIdsNaive(policy, Today);
        Assert.Equal(naive, _engine.EligibleIds(policy, Today));
        Assert.InRange(naive.Length, 0, rows.Length);
    }

    [Fact]
    public void A_location_prefix_finds_the_enterprises_of_that_division()
    {
        var facts = MatchingEngineTests.Synthetic(1, seed: 3).Single() with { Location = "330400", Stage = "Operating" };
        _engine.UpsertEnterprise(facts, "嘉兴企业");
        var policy = MatchingEngineTests.Compile("""{ "field": "location", "op": "startsWith", "value": ["3304"] }""");
        _engine.UpsertPolicy(policy);

        Assert.Equal(facts.Uscc, Assert.Single(_engine.EligibleEnterprises(policy, Today)).Facts.Uscc);
        Assert.Equal("嘉兴企业", _engine.Enterprise(Assert.Single(_engine.EligibleIds(policy, Today))).Name);
        Assert.Equal(policy.PolicyId, Assert.Single(_engine.EligiblePolicies(facts, Today)).PolicyId);
    }

    [Fact]
    public void Only_enterprises_meeting_every_discrete_conjunct_are_tested()
    {
        foreach (var facts in MatchingEngineTests.Synthetic(500, seed: 8))
        {
            _engine.UpsertEnterprise(facts, facts.Uscc);
        }
        var policy = MatchingEngineTests.Compile("""
            { "all": [ { "field": "location", "op": "in", "value": ["xinqiao", "jiuting"] },
                       { "not": { "field": "creditRating", "op": "in", "value": ["C", "D"] } },
                       { "field": "employees", "op": "gte", "value": 100 } ] }
            """);

        var expected = MatchingEngineTests.Synthetic(500, seed: 8)
            .Count(f => f.Location is "xinqiao" or "jiuting" && f.CreditRating is not ("C" or "D") && f.Stage != "Deregistered");
        Assert.Equal(expected, _engine.CandidateCount(policy, Today));
    }

    private void AssertAgree(IReadOnlyList<MatchablePolicy> policies, DateOnly on)
    {
        var eligible = 0;
        foreach (var policy in policies)
        {
            var indexed = _engine.EligibleIds(policy, on);
            Assert.Equal(_engine.EligibleIdsNaive(policy, on), indexed);
            Assert.True(indexed.Length <= _engine.CandidateCount(policy, on));
            eligible += indexed.Length;
        }
        // Neither everything nor nothing: the random criteria exercise both answers.
        Assert.InRange(eligible, 1, (policies.Count * _engine.EnterpriseCount) - 1);
    }

    // Criteria in the language: any nesting of all / any / not over every field and operator.
    private static string Criteria(Random random, int depth = 0)
    {
        var roll = depth >= 3 ? 1.0 : random.NextDouble();
        if (roll < 0.3)
        {
            return $$"""{ "all": [ {{Items(random, depth, 1 + random.Next(4))}} ] }""";
        }
        if (roll < 0.45)
        {
            return $$"""{ "any": [ {{Items(random, depth, 1 + random.Next(3))}} ] }""";
        }
        if (roll < 0.55)
        {
            return $$"""{ "not": {{Criteria(random, depth + 1)}} }""";
        }
        return Condition(random);
    }

    private static string Items(Random random, int depth, int count) =>
        string.Join(", ", Enumerable.Range(0, count).Select(_ => Criteria(random, depth + 1)));

    private static string Condition(Random random)
    {
        string[] texts = ["eq", "ne", "in", "notIn", "startsWith"];
        switch (random.Next(12))
        {
            case 0:
                return Text(random, "industryCode", texts[random.Next(texts.Length)], Codes.Select(c => c[..(1 + random.Next(c.Length))]).ToArray());
            case 1:
                return Text(random, "location", texts[random.Next(texts.Length)], [.. Locations, "3304", "32", "guang"]);
            case 2:
                return Text(random, "sizeClass", texts[random.Next(texts.Length)], Sizes);
            case 3:
                return Text(random, "stage", texts[random.Next(texts.Length)], Stages);
            case 4:
                return Text(random, "creditRating", texts[random.Next(texts.Length)], Ratings);
            case 5:
                return $$"""{ "field": "isListed", "op": "eq", "value": {{(random.Next(2) == 0 ? "true" : "false")}} }""";
            case 6:
                return random.Next(2) == 0
                    ? $$"""{ "field": "qualification", "op": "has", "value": "{{Kinds[random.Next(Kinds.Length)]}}" }"""
                    : $$"""{ "field": "qualification", "op": "hasAny", "value": [{{string.Join(", ", Pick(random, Kinds).Select(k => $"\"{k}\""))}}] }""";
            case 7:
                return Number(random, "employees", random.Next(0, 2000) + (random.Next(2) == 0 ? 0m : 0.5m));
            case 8:
                return Number(random, "yearsSinceFounding", random.Next(0, 20) + (random.Next(3) == 0 ? 0.25m : 0m));
            case 9:
                return Number(random, "annualRevenue", (decimal)Math.Round(Math.Exp(random.NextDouble() * 12), random.Next(3)));
            case 10:
                return Number(random, "rdSpending", random.Next(0, 20_000) / 10m);
            default:
                return Number(random, "rdRatio", random.Next(0, 1500) / 10_000m + (random.Next(4) == 0 ? 0.00005m : 0m));
        }
    }

    private static string Text(Random random, string field, string op, string[] values)
    {
        var picked = op is "eq" or "ne" ? [values[random.Next(values.Length)]] : Pick(random, values);
        // The closed vocabularies accept only their values, whole.
        var quoted = picked.Select(v => $"\"{v}\"").ToList();
        return op is "eq" or "ne"
            ? $$"""{ "field": "{{field}}", "op": "{{op}}", "value": {{quoted[0]}} }"""
            : $$"""{ "field": "{{field}}", "op": "{{op}}", "value": [{{string.Join(", ", quoted)}}] }""";
    }

    private static string Number(Random random, string field, decimal value)
    {
        string[] ops = ["eq", "ne", "gt", "gte", "lt", "lte", "between"];
        var op = ops[random.Next(ops.Length)];
        var shown = value.ToString(CultureInfo.InvariantCulture);
        return op == "between"
            ? $$"""{ "field": "{{field}}", "op": "between", "value": [{{shown}}, {{(value * 2 + 1).ToString(CultureInfo.InvariantCulture)}}] }"""
            : $$"""{ "field": "{{field}}", "op": "{{op}}", "value": {{shown}} }""";
    }

    private static string[] Pick(Random random, string[] from) =>
        [.. from.OrderBy(_ => random.Next()).Take(1 + random.Next(Math.Min(3, from.Length))).Distinct()];
}
