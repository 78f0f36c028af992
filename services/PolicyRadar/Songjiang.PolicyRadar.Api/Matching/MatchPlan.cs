using Songjiang.PolicyRadar.Api.Criteria;

namespace Songjiang.PolicyRadar.Api.Matching;

/// <summary>
/// How the engine matches one policy against every enterprise, compiled once from its criteria. The top-level
/// conjunction is split three ways: conjuncts on discrete attributes alone (any nesting of all / any / not over
/// industry, location, size, stage, credit, listing and qualifications) become set expressions answered exactly by the
/// bitset index; numeric conditions become range tests on the enterprise columns (settled bucket-wise by a
/// <see cref="RangeIndex"/> where the column holds whole numbers); anything else (a clause mixing both)
/// runs the compiled predicate on the profile. Only the enterprises left by the sets run the tests, and each test only
/// on those the tests before it kept.
/// </summary>
internal sealed class MatchPlan
{
    private MatchPlan(SetExpression[] sets, NumberTest[] numbers, Func<EnterpriseFacts, DateOnly, bool>[] others)
    {
        Sets = sets;
        Numbers = numbers;
        Others = others;
    }

    /// <summary>Conjuncts decided by the index alone.</summary>
    public SetExpression[] Sets { get; }

    /// <summary>Numeric conditions, tested on the columns.</summary>
    public NumberTest[] Numbers { get; }

    /// <summary>The rest, tested on the profile with the compiled predicate.</summary>
    public Func<EnterpriseFacts, DateOnly, bool>[] Others { get; }

    public static MatchPlan Of(Clause criteria)
    {
        var sets = new List<SetExpression>();
        var numbers = new List<NumberTest>();
        var others = new List<Func<EnterpriseFacts, DateOnly, bool>>();
        foreach (var conjunct in criteria.Conjuncts())
        {
            if (SetOf(conjunct) is { } set)
            {
                sets.Add(set);
            }
            else if (conjunct is Condition { Field.Kind: FieldKind.Number } number)
            {
                numbers.Add(NumberTest.Of(number));
            }
            else
            {
                others.Add(FastPredicates.Compile(conjunct));
            }
        }
        return new MatchPlan([.. sets], [.. numbers], [.. others]);
    }

    // A clause the index answers exactly, or null when any part of it tests a number.
    private static SetExpression? SetOf(Clause clause)
    {
        switch (clause)
        {
            case Condition { Field.Kind: FieldKind.Number }:
                return null;
            case Condition condition:
                return new KeySet(condition);
            case NotClause not:
                return SetOf(not.Item) is { } inner ? new NotSet(inner) : null;
            case AllClause or AnyClause:
                var items = (clause is AllClause all ? all.Items : ((AnyClause)clause).Items).Select(SetOf).ToList();
                if (items.Any(i => i is null))
                {
                    return null;
                }
                return clause is AllClause ? new AllSet([.. items!]) : new AnySet([.. items!]);
            default:
                return null;
        }
    }
}

/// <summary>A set of enterprises described by discrete attributes.</summary>
internal abstract record SetExpression;

/// <summary>The enterprises meeting one condition on a discrete attribute.</summary>
internal sealed record KeySet(Condition Condition) : SetExpression;

/// <summary>The enterprises in every item.</summary>
internal sealed record AllSet(SetExpression[] Items) : SetExpression;

/// <summary>The enterprises in at least one item.</summary>
internal sealed record AnySet(SetExpression[] Items) : SetExpression;

/// <summary>The enterprises not in the item.</summary>
internal sealed record NotSet(SetExpression Item) : SetExpression;

/// <summary>A numeric column.</summary>
internal enum NumberColumn
{
    Employees,
    YearsSinceFounding,
    AnnualRevenue,
    RdSpending,
    RdRatio,
}

/// <summary>
/// A numeric condition as a range. Over whole numbers (employees, years, and the R&amp;D ratio counted in ten-thousandths,
/// which is how the criteria round it) the decimal bounds become integer bounds (&gt; 2.5 is ≥ 3), so the test compares
/// integers and gives exactly the answer of the decimal comparison; other columns compare decimals.
/// </summary>
internal readonly record struct NumberTest(
    NumberColumn Column, bool Whole, bool Negate, long Lowest, long Highest, decimal Low, bool LowInclusive, bool HasLow, decimal High, bool HighInclusive, bool HasHigh)
{
    /// <summary>The R&amp;D ratio's scale: criteria read it rounded to four places.</summary>
    public const int RatioScale = 10_000;

    // Thresholds beyond this (in the column's unit) take the decimal path, so scaled integer bounds stay far from overflow.
    private const decimal WholeLimit = 100_000_000_000_000m;

    /// <summary>Whether no value lies in the range (the test then always fails, or always holds when negated).</summary>
    public bool IsEmpty => Lowest > Highest;

    public bool Holds(decimal value) =>
        ((!HasLow || (LowInclusive ? value >= Low : value > Low)) && (!HasHigh || (HighInclusive ? value <= High : value < High))) != Negate;

    public static NumberTest Of(Condition c)
    {
        var column = c.Field.Name switch
        {
            "employees" => NumberColumn.Employees,
            "yearsSinceFounding" => NumberColumn.YearsSinceFounding,
            "annualRevenue" => NumberColumn.AnnualRevenue,
            "rdSpending" => NumberColumn.RdSpending,
            "rdRatio" => NumberColumn.RdRatio,
            _ => throw new ArgumentOutOfRangeException(nameof(c), c.Field.Name, "not a number field"),
        };
        var n0 = c.Numbers[0];
        var n1 = c.Numbers.Count > 1 ? c.Numbers[1] : 0;
        // (low, lowInclusive, hasLow, high, highInclusive, hasHigh, negate) of the decimal range.
        var (low, lowIn, hasLow, high, highIn, hasHigh, negate) = c.Operator switch
        {
            "eq" => (n0, true, true, n0, true, true, false),
            "ne" => (n0, true, true, n0, true, true, true),
            "gt" => (n0, false, true, 0m, false, false, false),
            "gte" => (n0, true, true, 0m, false, false, false),
            "lt" => (0m, false, false, n0, false, true, false),
            "lte" => (0m, false, false, n0, true, true, false),
            "between" => (n0, true, true, n1, true, true, false),
            _ => throw new ArgumentOutOfRangeException(nameof(c), c.Operator, "unknown operator"),
        };
        var scale = column switch
        {
            NumberColumn.Employees or NumberColumn.YearsSinceFounding => 1,
            NumberColumn.RdRatio when Math.Abs(n0) < WholeLimit && Math.Abs(n1) < WholeLimit => RatioScale,
            _ => 0,
        };
        long lowest = long.MinValue, highest = long.MaxValue;
        if (scale > 0)
        {
            // The same range over whole numbers: v > 2.5 and v ≥ 3 agree for every integer v, as do v ≤ 2.5 and v ≤ 2.
            lowest = !hasLow ? long.MinValue : lowIn ? Clamp(decimal.Ceiling(low * scale)) : Saturated(Clamp(decimal.Floor(low * scale)), 1);
            highest = !hasHigh ? long.MaxValue : highIn ? Clamp(decimal.Floor(high * scale)) : Saturated(Clamp(decimal.Ceiling(high * scale)), -1);
        }
        return new NumberTest(column, scale > 0, negate, lowest, highest, low, lowIn, hasLow, high, highIn, hasHigh);
    }

    /// <summary>The R&amp;D ratio (already rounded to four places) in ten-thousandths, held within ±2^62.</summary>
    public static long ScaledRatio(decimal rounded) =>
        Math.Abs(rounded) >= WholeLimit ? (rounded > 0 ? Bound : -Bound) : (long)(rounded * RatioScale);

    // Values beyond the whole-number limit are held at ±2^62, further out than any bound a threshold below the limit
    // gives, so every comparison keeps its answer.
    private const long Bound = 1L << 62;

    // Beyond the range of long no held value lies, so clamping keeps every comparison's answer.
    private static long Clamp(decimal value) => value >= long.MaxValue ? long.MaxValue : value <= long.MinValue ? long.MinValue : (long)value;

    private static long Saturated(long value, int step) => value is long.MaxValue or long.MinValue ? value : value + step;
}
