using Songjiang.PolicyRadar.Api.Matching;
using System.Globalization;

namespace Songjiang.PolicyRadar.Api.Criteria;

/// <summary>How one clause came out for one enterprise: met or not, with the actual and required values.</summary>
public sealed record ClauseResult(
    string Path, string Kind, string Description, bool Met, string? Actual, string? Required, IReadOnlyList<ClauseResult> Children);

/// <summary>The verdict on one enterprise: eligible or not, every clause explained, and for a near miss what is missing.</summary>
/// <param name="Eligible">Whether every clause holds.</param>
/// <param name="Explanation">Every clause, met or not, with actual and required values.</param>
/// <param name="Missing">The failing conditions; when <paramref name="Decisive"/>, each would alone make the enterprise eligible.</param>
/// <param name="Decisive">Whether the missing conditions are decisive (a failing "not" clause, for one, is never fixed by them).</param>
public sealed record Verdict(bool Eligible, ClauseResult Explanation, IReadOnlyList<ClauseResult> Missing, bool Decisive = false)
{
    /// <summary>Not eligible, but one condition away from it.</summary>
    public bool IsNearMiss => !Eligible && Decisive && Missing.Count == 1;
}

/// <summary>
/// Criteria compiled once into delegates (per policy version), then evaluated cheaply for many enterprises with
/// an explanation of every clause.
/// </summary>
public sealed class CompiledCriteria
{
    private delegate ClauseResult Node(EnterpriseFacts facts, DateOnly on, IReadOnlySet<string> assumedMet);

    private readonly Node _root;
    private readonly Func<EnterpriseFacts, DateOnly, bool> _test;
    private readonly Func<EnterpriseFacts, DateOnly, bool>[] _conjuncts;

    private CompiledCriteria(Clause criteria)
    {
        Criteria = criteria;
        _root = CompileNode(criteria);
        _test = FastPredicates.Compile(criteria);
        _conjuncts = criteria is AllClause all ? [.. all.Items.Select(FastPredicates.Compile)] : [_test];
        Plan = MatchPlan.Of(criteria);
    }

    /// <summary>The same criteria as the matching engine runs them over every enterprise (index sets and column tests).</summary>
    internal MatchPlan Plan { get; }

    /// <summary>The parsed criteria.</summary>
    public Clause Criteria { get; }

    /// <summary>Compiles parsed criteria.</summary>
    public static CompiledCriteria Compile(Clause criteria) => new(criteria);

    /// <summary>
    /// Whether the enterprise is eligible, without building an explanation: the hot path for matching many
    /// enterprises. Gives the same answer as <see cref="Evaluate"/>.
    /// </summary>
    public bool IsMet(EnterpriseFacts facts, DateOnly on) => _test(facts, on);

    /// <summary>
    /// How many top-level conjuncts fail, counting no further than <paramref name="stopAt"/>. Each condition lies in
    /// one conjunct, so with two or more failing no single condition can make the enterprise eligible: the cheap
    /// test that rules out near misses before <see cref="Evaluate"/> explains them.
    /// </summary>
    public int CountFailingConjuncts(EnterpriseFacts facts, DateOnly on, int stopAt = int.MaxValue)
    {
        var failing = 0;
        foreach (var conjunct in _conjuncts)
        {
            if (!conjunct(facts, on) && ++failing >= stopAt)
            {
                break;
            }
        }
        return failing;
    }

    /// <summary>Evaluates for an enterprise on a date; a near miss is a failure that one condition alone would fix.</summary>
    public Verdict Evaluate(EnterpriseFacts facts, DateOnly on)
    {
        var result = _root(facts, on, EmptySet);
        if (result.Met)
        {
            return new Verdict(true, result, []);
        }
        var failing = FailingConditions(result).ToList();
        var decisive = failing.Where(condition => _root(facts, on, new HashSet<string> { condition.Path }).Met).ToList();
        return decisive.Count > 0 ? new Verdict(false, result, decisive, Decisive: true) : new Verdict(false, result, failing);
    }

    private static readonly IReadOnlySet<string> EmptySet = new HashSet<string>();

    // The failing conditions that make a failing clause fail; a met clause (an "any" satisfied another way) has none.
    private static IEnumerable<ClauseResult> FailingConditions(ClauseResult result) =>
        result.Met || result.Kind == "not"
            ? []
            : result.Kind == "condition" ? [result] : result.Children.SelectMany(FailingConditions);

    private static Node CompileNode(Clause clause) => clause switch
    {
        AllClause all => Combine(all.Path, "all", "全部满足", [.. all.Items.Select(CompileNode)], results => results.All(r => r.Met)),
        AnyClause any => Combine(any.Path, "any", "满足其一", [.. any.Items.Select(CompileNode)], results => results.Any(r => r.Met)),
        NotClause not => CompileNot(not),
        Condition condition => CompileCondition(condition),
        _ => throw new ArgumentOutOfRangeException(nameof(clause)),
    };

    private static Node Combine(string path, string kind, string description, Node[] items, Func<IReadOnlyList<ClauseResult>, bool> rule) =>
        (facts, on, assumed) =>
        {
            var results = items.Select(item => item(facts, on, assumed)).ToList();
            return new ClauseResult(path, kind, description, rule(results), null, null, results);
        };

    private static Node CompileNot(NotClause not)
    {
        var inner = CompileNode(not.Item);
        return (facts, on, assumed) =>
        {
            var result = inner(facts, on, assumed);
            return new ClauseResult(not.Path, "not", "不得满足", !result.Met, null, null, [result]);
        };
    }

    private static Node CompileCondition(Condition c)
    {
        var required = Describe(c);
        var test = Test(c);
        var read = Reader(c.Field.Name);
        return (facts, on, assumed) =>
        {
            var actual = read(facts, on);
            var met = assumed.Contains(c.Path) || test(actual, on, facts);
            return new ClauseResult(c.Path, "condition", $"{c.Field.Label} {required}", met, Show(actual), required, []);
        };
    }

    private static Func<EnterpriseFacts, DateOnly, object?> Reader(string field) => field switch
    {
        "industryCode" => (f, _) => f.IndustryCode,
        "location" => (f, _) => f.Location,
        "yearsSinceFounding" => (f, on) => (decimal)f.YearsSinceFounding(on),
        "employees" => (f, _) => (decimal)f.Employees,
        "annualRevenue" => (f, _) => f.AnnualRevenue,
        "rdSpending" => (f, _) => f.RdSpending,
        "rdRatio" => (f, _) => Math.Round(f.RdRatio, 4),
        "sizeClass" => (f, _) => f.SizeClass,
        "isListed" => (f, _) => f.IsListed,
        "stage" => (f, _) => f.Stage,
        "creditRating" => (f, _) => f.CreditRating,
        "qualification" => (f, on) => f.Qualifications.Where(q => q.IsValidOn(on)).Select(q => q.Kind).ToList(),
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    private static Func<object?, DateOnly, EnterpriseFacts, bool> Test(Condition c)
    {
        var n = c.Numbers;
        var t = c.Texts;
        return c.Operator switch
        {
            "eq" when c.Flag is { } flag => (a, _, _) => a is bool b && b == flag,
            "eq" when n.Count > 0 => (a, _, _) => a is decimal d && d == n[0],
            "ne" when n.Count > 0 => (a, _, _) => a is decimal d && d != n[0],
            "gt" => (a, _, _) => a is decimal d && d > n[0],
            "gte" => (a, _, _) => a is decimal d && d >= n[0],
            "lt" => (a, _, _) => a is decimal d && d < n[0],
            "lte" => (a, _, _) => a is decimal d && d <= n[0],
            "between" => (a, _, _) => a is decimal d && d >= n[0] && d <= n[1],
            "eq" => (a, _, _) => a is string s && s == t[0],
            "ne" => (a, _, _) => a is string s && s != t[0],
            "in" => (a, _, _) => a is string s && t.Contains(s),
            "notIn" => (a, _, _) => a is string s && !t.Contains(s),
            "startsWith" => (a, _, _) => a is string s && t.Any(prefix => s.StartsWith(prefix, StringComparison.Ordinal)),
            "has" => (a, _, _) => a is List<string> held && held.Contains(t[0]),
            "hasAny" => (a, _, _) => a is List<string> held && held.Intersect(t).Any(),
            _ => throw new ArgumentOutOfRangeException(nameof(c), c.Operator, "unknown operator"),
        };
    }

    private static string Describe(Condition c)
    {
        var values = c.Numbers.Count > 0
            ? c.Numbers.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToList()
            : c.Flag is { } flag ? [flag ? "是" : "否"] : c.Texts.ToList();
        return c.Operator switch
        {
            "eq" => $"= {values[0]}",
            "ne" => $"≠ {values[0]}",
            "gt" => $"> {values[0]}",
            "gte" => $"≥ {values[0]}",
            "lt" => $"< {values[0]}",
            "lte" => $"≤ {values[0]}",
            "between" => $"在 {values[0]} 至 {values[1]} 之间",
            "in" => $"属于 {string.Join("、", values)}",
            "notIn" => $"不属于 {string.Join("、", values)}",
            "startsWith" => $"以 {string.Join(" 或 ", values)} 开头",
            "has" => $"持有有效的 {values[0]}",
            "hasAny" => $"持有有效的 {string.Join(" 或 ", values)} 之一",
            _ => c.Operator,
        };
    }

    private static string? Show(object? actual) => actual switch
    {
        null => null,
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "是" : "否",
        List<string> list => list.Count == 0 ? "无" : string.Join("、", list),
        _ => actual.ToString(),
    };
}
