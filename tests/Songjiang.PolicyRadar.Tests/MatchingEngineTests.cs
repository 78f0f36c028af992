using Songjiang.PolicyRadar.Api.Application;
using Songjiang.PolicyRadar.Api.Criteria;
using Songjiang.PolicyRadar.Api.Matching;
using System.Text.Json;

namespace Songjiang.PolicyRadar.Tests;

public sealed class MatchingEngineTests : IDisposable
{
    private static readonly DateOnly Today = new(2026, 11, 28);
    private readonly MatchingEngine _engine = new();

    public void Dispose() => _engine.Dispose();

    [Fact]
    public void The_index_finds_exactly_what_testing_every_pair_finds()
    {
        foreach (var facts in Synthetic(3000, seed: 7))
        {
            _engine.UpsertEnterprise(facts, facts.Uscc);
        }
        var policies = SeedPolicies.Matchable.ToList();
        policies.ForEach(_engine.UpsertPolicy);

        var candidates = 0;
        foreach (var policy in policies)
        {
            var indexed = _engine.EligibleEnterprises(policy, Today).Select(e => e.Facts.Uscc).Order().ToList();
            var naive = _engine.EligibleEnterprisesNaive(policy, Today).Select(e => e.Facts.Uscc).Order().ToList();
            Assert.Equal(naive, indexed);
            candidates += _engine.CandidateCount(policy, Today);
        }
        // The index prunes: far fewer candidates than enterprises × policies.
        Assert.True(candidates < 3000 * policies.Count / 2, $"{candidates} candidates");

        foreach (var facts in Synthetic(300, seed: 7))
        {
            var viaIndex = _engine.EligiblePolicies(facts, Today).Select(p => p.PolicyId).Order().ToList();
            var viaAll = policies.Where(p => facts.Stage != "Deregistered" && p.IsCurrentOn(Today) && p.Criteria.Evaluate(facts, Today).Eligible).Select(p => p.PolicyId).Order().ToList();
            Assert.Equal(viaAll, viaIndex);
        }
    }

    [Fact]
    public void The_fast_test_agrees_with_the_explained_evaluation_on_every_pair()
    {
        var policies = SeedPolicies.Matchable.ToList();
        foreach (var facts in Synthetic(500, seed: 11))
        {
            foreach (var policy in policies)
            {
                var verdict = policy.Criteria.Evaluate(facts, Today);
                Assert.Equal(verdict.Eligible, policy.Criteria.IsMet(facts, Today));
                if (verdict.IsNearMiss)
                {
                    Assert.Equal(1, policy.Criteria.CountFailingConjuncts(facts, Today, stopAt: 2));
                }
            }
        }
    }

    [Fact]
    public void Near_misses_are_the_policies_failed_by_one_condition()
    {
        var facts = Synthetic(1, seed: 3).Single() with
        {
            IndustryCode = "I6513", Location = "guangfulin", Stage = "Operating", CreditRating = "A", RdSpending = 100, AnnualRevenue = 5000,
            Qualifications = [new HeldQualification("tech-sme", new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31))],
        };
        _engine.UpsertEnterprise(facts, "测试企业");
        var policies = SeedPolicies.Matchable.ToList();
        policies.ForEach(_engine.UpsertPolicy);

        var misses = _engine.NearMisses(facts, Today);

        var expected = policies.Where(p => p.IsCurrentOn(Today) && p.Criteria.Evaluate(facts, Today).IsNearMiss).Select(p => p.PolicyId).Order();
        Assert.Equal(expected, misses.Select(m => m.Policy.PolicyId).Order());
        // R&D at 2% misses the tech-SME R&D subsidy by its R&D ratio alone.
        var subsidy = Assert.Single(misses, m => m.Policy.Title == "松江区科技型中小企业研发费用补贴（免申即享）");
        var missing = Assert.Single(subsidy.Verdict.Missing);
        Assert.Equal("研发费用占营业收入比例 ≥ 0.03", missing.Description);
        Assert.Equal("0.02", missing.Actual);
    }

    [Fact]
    public void A_deregistered_enterprise_is_never_eligible()
    {
        var facts = Synthetic(1, seed: 5).Single() with { Stage = "Deregistered" };
        _engine.UpsertEnterprise(facts, "已注销企业");
        var open = Compile("""{ "field": "employees", "op": "gte", "value": 0 }""");
        _engine.UpsertPolicy(open);

        Assert.Empty(_engine.EligibleEnterprises(open, Today));
        Assert.Empty(_engine.EligiblePolicies(facts, Today));
    }

    [Fact]
    public void A_changed_profile_moves_between_index_entries()
    {
        var facts = Synthetic(1, seed: 9).Single() with { Location = "jiuting", Stage = "Operating" };
        _engine.UpsertEnterprise(facts, "迁移企业");
        var policy = Compile("""{ "all": [ { "field": "location", "op": "eq", "value": "xinqiao" }, { "field": "stage", "op": "eq", "value": "Operating" } ] }""");
        _engine.UpsertPolicy(policy);
        Assert.Empty(_engine.EligibleEnterprises(policy, Today));

        _engine.UpsertEnterprise(facts with { Location = "xinqiao" }, "迁移企业");

        Assert.Single(_engine.EligibleEnterprises(policy, Today));
        Assert.Equal(1, _engine.CandidateCount(policy, Today));
    }

    [Theory]
    [InlineData("""{ "all": [ { "field": "industryCode", "op": "startsWith", "value": ["I65", "C39"] }, { "field": "employees", "op": "gte", "value": 10 } ] }""", "i:I65,i:C39")]
    [InlineData("""{ "all": [ { "any": [ { "field": "qualification", "op": "has", "value": "tech-sme" }, { "field": "qualification", "op": "has", "value": "high-tech" } ] } ] }""", "q:tech-sme,q:high-tech")]
    [InlineData("""{ "all": [ { "all": [ { "field": "isListed", "op": "eq", "value": true } ] } ] }""", "x:true")]
    [InlineData("""{ "not": { "field": "location", "op": "eq", "value": "xinqiao" } }""", "")]
    [InlineData("""{ "any": [ { "field": "location", "op": "eq", "value": "xinqiao" }, { "field": "employees", "op": "gte", "value": 5 } ] }""", "")]
    [InlineData("""{ "field": "creditRating", "op": "notIn", "value": ["C", "D"] }""", "")]
    [InlineData("""{ "field": "location", "op": "startsWith", "value": ["3304"] }""", "")]
    [InlineData("""{ "field": "sizeClass", "op": "startsWith", "value": ["Small"] }""", "s:Small")]
    public void Necessary_keys_come_only_from_positive_top_level_conditions(string criteria, string keys)
    {
        var constraints = CandidateKeys.NecessaryOf(CriteriaParser.Parse(JsonDocument.Parse(criteria).RootElement).Criteria!);

        Assert.Equal(keys, string.Join(",", constraints.SelectMany(c => c.Keys)));
    }

    [Fact]
    public void Offer_ids_are_the_same_for_the_same_enterprise_policy_and_version()
    {
        var policy = Guid.Parse("0193a5c4-0000-7000-8000-000000000001");

        var first = OfferIds.For("91310117MA1J3GKL0Q", policy, 1);

        Assert.Equal(first, OfferIds.For("91310117MA1J3GKL0Q", policy, 1));
        Assert.NotEqual(first, OfferIds.For("91310117MA1J3GKL0Q", policy, 2));
        Assert.NotEqual(first, OfferIds.For("91310117MA1H8BXR2W", policy, 1));
        Assert.Equal(5, first.Version);
    }

    internal static MatchablePolicy Compile(string criteria, string title = "测试政策")
    {
        var compiled = CompiledCriteria.Compile(CriteriaParser.Parse(JsonDocument.Parse(criteria).RootElement).Criteria!);
        return new MatchablePolicy(Guid.CreateVersion7(), 1, title, "Songjiang", "测试机关", "测试〔2026〕1号", "subsidy", 1000m, false,
            new DateOnly(2026, 1, 1), null, compiled, CandidateKeys.NecessaryOf(compiled.Criteria));
    }

    /// <summary>Enterprises with realistic spreads of every attribute the criteria test.</summary>
    internal static IEnumerable<EnterpriseFacts> Synthetic(int count, int seed)
    {
        var random = new Random(seed);
        string[] locations = ["guangfulin", "jiuting", "xinqiao", "dongjing", "sijing", "chedun", "yueyang", "330400", "320500", "340100"];
        string[] industries = ["I6513", "I6520", "C3973", "C2710", "C3589", "C3841", "R8710", "C2614", "M7340", "F5191", "C3969", "I6450"];
        string[] kinds = ["high-tech", "tech-sme", "tech-giant", "specialised-sme", "gazelle", "headquarters"];
        string[] sizes = ["Micro", "Small", "Medium", "Large"];
        string[] stages = ["Operating", "Operating", "Operating", "Operating", "Changing", "Establishing", "Deregistered"];
        string[] ratings = ["A", "A", "A", "B", "B", "C", "D"];
        for (var i = 0; i < count; i++)
        {
            var revenue = (decimal)Math.Round(Math.Exp(random.NextDouble() * 12), 0);
            var qualifications = kinds.Where(_ => random.NextDouble() < 0.2)
                .Select(k => new HeldQualification(k, new DateOnly(2023 + random.Next(4), 1 + random.Next(12), 1), new DateOnly(2025 + random.Next(4), 1 + random.Next(12), 28)))
                .ToList();
            yield return new EnterpriseFacts(
                $"91310117SYN{seed:D2}{i:D5}", locations[random.Next(locations.Length)], industries[random.Next(industries.Length)],
                new DateOnly(2005 + random.Next(21), 1 + random.Next(12), 1 + random.Next(28)), random.Next(1, 2000), revenue,
                Math.Round(revenue * (decimal)(random.NextDouble() * 0.15), 0), sizes[random.Next(sizes.Length)], random.NextDouble() < 0.05,
                stages[random.Next(stages.Length)], ratings[random.Next(ratings.Length)], qualifications);
        }
    }
}
