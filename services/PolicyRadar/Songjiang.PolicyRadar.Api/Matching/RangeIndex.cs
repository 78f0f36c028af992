using System.Numerics;

namespace Songjiang.PolicyRadar.Api.Matching;

/// <summary>
/// A numeric column cut into about <see cref="Buckets"/> buckets of equal population, with a bitset per boundary of
/// the enterprises at or above it. A range test then needs no comparison for enterprises in buckets wholly inside or
/// wholly outside the range, which word-wise operations settle 64 at a time; only those in the (at most two) buckets
/// the range's ends cut through are compared one by one. A column with few distinct values (years since founding)
/// gets a boundary per value, so whole-number ranges are settled without comparisons at all.
/// </summary>
internal sealed class RangeIndex
{
    private const int Buckets = 32;

    private readonly long[] _values;
    private readonly long[] _bounds;        // ascending, distinct; _bounds[0] is the smallest value
    private readonly ulong[][] _atLeast;    // _atLeast[j]: ids whose value ≥ _bounds[j]

    private RangeIndex(long[] values, long[] bounds, ulong[][] atLeast)
    {
        _values = values;
        _bounds = bounds;
        _atLeast = atLeast;
    }

    /// <summary>Indexes the first <paramref name="count"/> values of a column (the array is read later, not copied).</summary>
    public static RangeIndex Build(long[] values, int count)
    {
        var words = (count + 63) >> 6;
        if (count == 0)
        {
            return new RangeIndex(values, [], []);
        }
        var sorted = values.AsSpan(0, count).ToArray();
        Array.Sort(sorted);
        var bounds = new List<long> { sorted[0] };
        for (var i = 1; i < Buckets; i++)
        {
            var quantile = sorted[(int)((long)i * count / Buckets)];
            if (quantile > bounds[^1])
            {
                bounds.Add(quantile);
            }
        }
        // Few distinct values: one boundary for each.
        var distinct = new List<long> { sorted[0] };
        for (var i = 1; i < sorted.Length && distinct.Count <= 2 * Buckets; i++)
        {
            if (sorted[i] != distinct[^1])
            {
                distinct.Add(sorted[i]);
            }
        }
        long[] cuts = distinct.Count <= 2 * Buckets ? [.. distinct] : [.. bounds];
        // Each id into its bucket, then suffix unions: at-least-j is bucket j or any above it.
        var atLeast = new ulong[cuts.Length][];
        for (var j = 0; j < cuts.Length; j++)
        {
            atLeast[j] = new ulong[words];
        }
        for (var id = 0; id < count; id++)
        {
            var bucket = Array.BinarySearch(cuts, values[id]);
            bucket = bucket >= 0 ? bucket : ~bucket - 1;
            atLeast[bucket][id >> 6] |= 1UL << (id & 63);
        }
        for (var j = cuts.Length - 2; j >= 0; j--)
        {
            var (into, above) = (atLeast[j], atLeast[j + 1]);
            for (var w = 0; w < words; w++)
            {
                into[w] |= above[w];
            }
        }
        return new RangeIndex(values, cuts, atLeast);
    }

    /// <summary>
    /// Keeps in <paramref name="bits"/> the ids whose value lies in [<paramref name="lowest"/>, <paramref name="highest"/>]
    /// (outside it when <paramref name="negate"/>); needs lowest ≤ highest.
    /// </summary>
    public void Filter(Span<ulong> bits, long lowest, long highest, bool negate)
    {
        if (_bounds.Length == 0)
        {
            bits.Clear();
            return;
        }
        // Surely inside: from the first boundary ≥ lowest up to below the last boundary ≤ highest + 1.
        // Possibly inside: from the last boundary ≤ lowest up to below the first boundary > highest.
        var sureFrom = FirstAtLeast(lowest);
        var sureTo = highest == long.MaxValue ? _bounds.Length : LastAtMost(highest + 1);
        var maybeFrom = Math.Max(0, LastAtMost(lowest));
        var maybeTo = highest == long.MaxValue ? _bounds.Length : FirstAtLeast(highest + 1);
        if (sureTo < sureFrom)
        {
            sureTo = sureFrom;
        }
        var sureLow = sureFrom < _bounds.Length ? _atLeast[sureFrom] : null;
        var sureHigh = sureTo >= 0 && sureTo < _bounds.Length ? _atLeast[sureTo] : null;
        var maybeLow = _atLeast[maybeFrom];
        var maybeHigh = maybeTo < _bounds.Length ? _atLeast[maybeTo] : null;
        var width = (ulong)(highest - lowest);
        var flip = negate ? 1UL : 0UL;
        for (var w = 0; w < bits.Length; w++)
        {
            var word = bits[w];
            if (word == 0)
            {
                continue;
            }
            var sure = sureLow is null ? 0 : sureLow[w] & ~(sureHigh?[w] ?? 0);
            var maybe = maybeLow[w] & ~(maybeHigh?[w] ?? 0);
            var kept = word & (negate ? ~maybe : sure);
            var rest = word & maybe & ~sure;
            while (rest != 0)
            {
                var bit = BitOperations.TrailingZeroCount(rest);
                rest &= rest - 1;
                var inside = (ulong)(_values[(w << 6) + bit] - lowest) <= width;
                kept |= ((inside ? 1UL : 0UL) ^ flip) << bit;
            }
            bits[w] = kept;
        }
    }

    // Index of the first boundary ≥ value (the count when none is).
    private int FirstAtLeast(long value)
    {
        var at = Array.BinarySearch(_bounds, value);
        return at >= 0 ? at : ~at;
    }

    // Index of the last boundary ≤ value (-1 when none is).
    private int LastAtMost(long value)
    {
        var at = Array.BinarySearch(_bounds, value);
        return at >= 0 ? at : ~at - 1;
    }
}
