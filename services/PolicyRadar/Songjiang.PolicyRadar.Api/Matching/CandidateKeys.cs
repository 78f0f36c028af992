using Songjiang.PolicyRadar.Api.Criteria;

namespace Songjiang.PolicyRadar.Api.Matching;

/// <summary>
/// A necessary condition on one discrete attribute: an enterprise can be eligible only if it has one of
/// <see cref="Keys"/>. Read from the top-level conjunction of a policy's criteria, so candidates are found by index
/// lookup before the criteria run.
/// </summary>
/// <param name="Keys">Index keys, e.g. <c>i:I65</c> (industry code prefix), <c>l:guangfulin</c>, <c>q:high-tech</c>.</param>
public sealed record DiscreteConstraint(IReadOnlyList<string> Keys);

/// <summary>The index keys of enterprises and the necessary key constraints of criteria.</summary>
public static class CandidateKeys
{
    /// <summary>Every key an enterprise is indexed under.</summary>
    public static IEnumerable<string> Of(EnterpriseFacts facts)
    {
        for (var length = 1; length <= facts.IndustryCode.Length; length++)
        {
            yield return "i:" + facts.IndustryCode[..length];
        }
        yield return "i=" + facts.IndustryCode;
        yield return "l:" + facts.Location;
        yield return "s:" + facts.SizeClass;
        yield return "t:" + facts.Stage;
        yield return "c:" + facts.CreditRating;
        yield return facts.IsListed ? "x:true" : "x:false";
        foreach (var kind in facts.Qualifications.Select(q => q.Kind).Distinct(StringComparer.Ordinal))
        {
            yield return "q:" + kind;
        }
    }

    /// <summary>
    /// The necessary constraints of criteria: each condition on a discrete field in the top-level "all" (or the root
    /// itself), and each top-level "any" whose branches all constrain one field. Negations and mixed "any" give none.
    /// </summary>
    public static IReadOnlyList<DiscreteConstraint> NecessaryOf(Clause criteria)
    {
        return [.. criteria.Conjuncts().Select(Constraint).OfType<DiscreteConstraint>()];
    }

    private static DiscreteConstraint? Constraint(Clause clause)
    {
        switch (clause)
        {
            case Condition condition:
                return Keys(condition) is { } keys ? new DiscreteConstraint(keys) : null;
            case AnyClause any:
                var branches = any.Items.Select(Branch).ToList();
                var prefixes = branches.Select(b => b.Prefix).Distinct().ToList();
                return branches.All(b => b.Keys is not null) && prefixes.Count == 1
                    ? new DiscreteConstraint([.. branches.SelectMany(b => b.Keys!).Distinct(StringComparer.Ordinal)])
                    : null;
            default:
                return null;
        }
    }

    private static (string? Prefix, List<string>? Keys) Branch(Clause item) =>
        item is Condition c ? (Prefix(c.Field.Name), Keys(c)) : (null, null);

    private static string? Prefix(string field) => field switch
    {
        "industryCode" => "i:",
        "location" => "l:",
        "sizeClass" => "s:",
        "stage" => "t:",
        "creditRating" => "c:",
        "isListed" => "x:",
        "qualification" => "q:",
        _ => null,
    };

    private static List<string>? Keys(Condition c)
    {
        var prefix = Prefix(c.Field.Name);
        if (prefix is null)
        {
            return null;
        }
        return c.Operator switch
        {
            // An exact industry code is also a prefix of itself, so every positive text test becomes prefix keys.
            "eq" when c.Flag is { } flag => [prefix + (flag ? "true" : "false")],
            "eq" or "in" or "has" or "hasAny" => [.. c.Texts.Select(t => prefix + t)],
            // Only industry codes are indexed under their prefixes; for a closed vocabulary (size, stage, credit) a
            // prefix that is an allowed value matches that value alone, since none is a prefix of another. A location
            // prefix (a division code such as 3304) names no key and gives no constraint.
            "startsWith" when prefix == "i:" || c.Field.AllowedValues is not null => [.. c.Texts.Select(t => prefix + t)],
            _ => null,
        };
    }
}
