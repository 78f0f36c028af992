using Songjiang.PolicyRadar.Api.Criteria;
using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics;

namespace Songjiang.PolicyRadar.Api.Matching;

/// <summary>
/// The enterprises as the engine holds them: dense ids (never reused); each profile with its name; a bitset per
/// discrete attribute value (postings); and the numeric attributes column by column, with a <see cref="RangeIndex"/>
/// over each whole-number column, so a range test over many enterprises is mostly word-wise bit operations. Not
/// thread-safe: the engine's lock guards it (readers may fill the per-day cache concurrently).
/// </summary>
internal sealed class EnterpriseTable
{
    private const string Deregistered = "Deregistered";

    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<EnterpriseFacts> _facts = [];
    private readonly List<string> _names = [];
    private readonly Dictionary<string, Bitset> _postings = new(StringComparer.Ordinal);
    private long[] _employees = new long[64];
    private decimal[] _revenue = new decimal[64];
    private decimal[] _rdSpending = new decimal[64];
    private decimal[] _rdRatio = new decimal[64];
    private long[] _rdRatioScaled = new long[64];
    private long _version;
    private DayState? _day;

    public int Count => _facts.Count;

    private int WordCount => (_facts.Count + 63) >> 6;

    public EnterpriseFacts Facts(int id) => _facts[id];

    public string Name(int id) => _names[id];

    public bool TryGetId(string uscc, out int id) => _ids.TryGetValue(uscc, out id);

    public Bitset? Posting(string key) => _postings.GetValueOrDefault(key);

    /// <summary>Enterprises holding one of a constraint's keys (an upper bound: members may hold several).</summary>
    public int Estimate(DiscreteConstraint constraint) =>
        constraint.Keys.Sum(key => _postings.TryGetValue(key, out var posting) ? posting.Count : 0);

    public void Upsert(EnterpriseFacts facts, string name)
    {
        if (_ids.TryGetValue(facts.Uscc, out var id))
        {
            foreach (var key in CandidateKeys.Of(_facts[id]))
            {
                _postings[key].Remove(id);
            }
            _facts[id] = facts;
            _names[id] = name;
        }
        else
        {
            id = _facts.Count;
            _ids[facts.Uscc] = id;
            _facts.Add(facts);
            _names.Add(name);
            if (id == _employees.Length)
            {
                Array.Resize(ref _employees, id * 2);
                Array.Resize(ref _revenue, id * 2);
                Array.Resize(ref _rdSpending, id * 2);
                Array.Resize(ref _rdRatio, id * 2);
                Array.Resize(ref _rdRatioScaled, id * 2);
            }
        }
        foreach (var key in CandidateKeys.Of(facts))
        {
            if (!_postings.TryGetValue(key, out var posting))
            {
                _postings[key] = posting = new Bitset();
            }
            posting.Add(id);
        }
        _employees[id] = facts.Employees;
        _revenue[id] = facts.AnnualRevenue;
        _rdSpending[id] = facts.RdSpending;
        // Rounded as the criteria read it (FastPredicates, CompiledCriteria), so the column gives the same answers.
        _rdRatio[id] = Math.Round(facts.RdRatio, 4);
        _rdRatioScaled[id] = NumberTest.ScaledRatio(_rdRatio[id]);
        _version++;
    }

    /// <summary>
    /// The enterprises eligible under a plan on a date, ascending ids: the plan's sets intersected word by word, then
    /// its tests run column by column on the survivors only. Deregistered enterprises never match.
    /// </summary>
    public int[] Eligible(MatchPlan plan, DateOnly on)
    {
        var day = Day(on);
        var rented = ArrayPool<ulong>.Shared.Rent(WordCount);
        try
        {
            var bits = rented.AsSpan(0, WordCount);
            Candidates(plan, day, bits);
            foreach (var test in plan.Numbers)
            {
                if (test.Whole && test.IsEmpty)
                {
                    // No whole number lies in the range (= 2.5): none pass, or all when negated.
                    if (!test.Negate)
                    {
                        bits.Clear();
                    }
                    continue;
                }
                switch (test.Column)
                {
                    case NumberColumn.Employees:
                        day.Employees.Filter(bits, test.Lowest, test.Highest, test.Negate);
                        break;
                    case NumberColumn.YearsSinceFounding:
                        day.Years.Filter(bits, test.Lowest, test.Highest, test.Negate);
                        break;
                    case NumberColumn.RdRatio when test.Whole:
                        day.RdRatio.Filter(bits, test.Lowest, test.Highest, test.Negate);
                        break;
                    case NumberColumn.AnnualRevenue:
                        FilterDecimal(bits, _revenue, test);
                        break;
                    case NumberColumn.RdSpending:
                        FilterDecimal(bits, _rdSpending, test);
                        break;
                    default:
                        FilterDecimal(bits, _rdRatio, test);
                        break;
                }
            }
            foreach (var other in plan.Others)
            {
                FilterProfiles(bits, other, on);
            }
            return Bitset.ToIds(bits);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(rented);
        }
    }

    /// <summary>How many enterprises the plan's sets leave to be tested.</summary>
    public int CandidateCount(MatchPlan plan, DateOnly on)
    {
        var rented = ArrayPool<ulong>.Shared.Rent(WordCount);
        try
        {
            var bits = rented.AsSpan(0, WordCount);
            Candidates(plan, Day(on), bits);
            return Bitset.PopCount(bits);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(rented);
        }
    }

    private void Candidates(MatchPlan plan, DayState day, Span<ulong> bits)
    {
        Bitset.Fill(bits, _facts.Count);
        Posting("t:" + Deregistered)?.AndNotInto(bits);
        if (plan.Sets.Length == 0)
        {
            return;
        }
        var rented = ArrayPool<ulong>.Shared.Rent(bits.Length);
        try
        {
            var scratch = rented.AsSpan(0, bits.Length);
            foreach (var set in plan.Sets)
            {
                Evaluate(set, day, scratch);
                And(bits, scratch);
            }
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(rented);
        }
    }

    // Writes the members of a set into `into`; bits past the last id may be set (the caller's live set clears them).
    private void Evaluate(SetExpression set, DayState day, Span<ulong> into)
    {
        switch (set)
        {
            case KeySet key:
                EvaluateCondition(key.Condition, day, into);
                return;
            case NotSet not:
                Evaluate(not.Item, day, into);
                for (var i = 0; i < into.Length; i++)
                {
                    into[i] = ~into[i];
                }
                return;
            case AllSet or AnySet:
                var all = set is AllSet;
                var items = all ? ((AllSet)set).Items : ((AnySet)set).Items;
                if (all)
                {
                    into.Fill(ulong.MaxValue);
                }
                else
                {
                    into.Clear();
                }
                var rented = ArrayPool<ulong>.Shared.Rent(into.Length);
                try
                {
                    var scratch = rented.AsSpan(0, into.Length);
                    foreach (var item in items)
                    {
                        Evaluate(item, day, scratch);
                        if (all)
                        {
                            And(into, scratch);
                        }
                        else
                        {
                            Or(into, scratch);
                        }
                    }
                }
                finally
                {
                    ArrayPool<ulong>.Shared.Return(rented);
                }
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(set));
        }
    }

    // Exactly the enterprises FastPredicates accepts for the condition, read from the postings.
    private void EvaluateCondition(Condition c, DayState day, Span<ulong> into)
    {
        into.Clear();
        switch (c.Field.Kind)
        {
            case FieldKind.Qualification:
                foreach (var kind in c.Texts)
                {
                    Or(into, day.Valid(kind));
                }
                return;
            case FieldKind.Boolean:
                Posting(c.Flag == true ? "x:true" : "x:false")?.OrInto(into);
                return;
        }
        var prefix = c.Field.Name switch
        {
            "industryCode" => "i:",
            "location" => "l:",
            "sizeClass" => "s:",
            "stage" => "t:",
            "creditRating" => "c:",
            _ => throw new ArgumentOutOfRangeException(nameof(c), c.Field.Name, "not a discrete field"),
        };
        // Industry codes are indexed under every prefix ("i:C39") and exactly ("i=C3919"); the others only exactly.
        var exact = prefix == "i:" ? "i=" : prefix;
        switch (c.Operator)
        {
            case "eq" or "ne":
                Posting(exact + c.Texts[0])?.OrInto(into);
                break;
            case "in" or "notIn":
                foreach (var text in c.Texts)
                {
                    Posting(exact + text)?.OrInto(into);
                }
                break;
            case "startsWith" when prefix == "i:":
                foreach (var text in c.Texts)
                {
                    Posting(prefix + text)?.OrInto(into);
                }
                break;
            case "startsWith":
                // Locations are indexed only whole: every value held with one of the prefixes.
                foreach (var (key, posting) in _postings)
                {
                    if (key.StartsWith(prefix, StringComparison.Ordinal) && StartsWithAny(key, prefix.Length, c.Texts))
                    {
                        posting.OrInto(into);
                    }
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(c), c.Operator, "unknown operator");
        }
        if (c.Operator is "ne" or "notIn")
        {
            for (var i = 0; i < into.Length; i++)
            {
                into[i] = ~into[i];
            }
        }
    }

    private static bool StartsWithAny(string key, int from, IReadOnlyList<string> prefixes)
    {
        foreach (var prefix in prefixes)
        {
            if (key.AsSpan(from).StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    private static void And(Span<ulong> target, ReadOnlySpan<ulong> other)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] &= other[i];
        }
    }

    private static void Or(Span<ulong> target, ReadOnlySpan<ulong> other)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] |= other[i];
        }
    }

    private static void FilterDecimal(Span<ulong> bits, decimal[] column, NumberTest test)
    {
        for (var w = 0; w < bits.Length; w++)
        {
            var word = bits[w];
            var rest = word;
            while (rest != 0)
            {
                var bit = BitOperations.TrailingZeroCount(rest);
                rest &= rest - 1;
                if (!test.Holds(column[(w << 6) + bit]))
                {
                    word &= ~(1UL << bit);
                }
            }
            bits[w] = word;
        }
    }

    private void FilterProfiles(Span<ulong> bits, Func<EnterpriseFacts, DateOnly, bool> test, DateOnly on)
    {
        for (var w = 0; w < bits.Length; w++)
        {
            var word = bits[w];
            var rest = word;
            while (rest != 0)
            {
                var bit = BitOperations.TrailingZeroCount(rest);
                rest &= rest - 1;
                if (!test(_facts[(w << 6) + bit], on))
                {
                    word &= ~(1UL << bit);
                }
            }
            bits[w] = word;
        }
    }

    // What depends on the date (age, qualifications valid that day) and the range indexes of the numeric columns, kept
    // until the date or the data change; built on first use.
    private DayState Day(DateOnly on)
    {
        var day = _day;
        if (day is null || day.On != on || day.Version != _version)
        {
            _day = day = new DayState(this, on, _version);
        }
        return day;
    }

    private sealed class DayState(EnterpriseTable table, DateOnly on, long version)
    {
        private readonly ConcurrentDictionary<string, ulong[]> _valid = new(StringComparer.Ordinal);
        private RangeIndex? _years;
        private RangeIndex? _employees;
        private RangeIndex? _rdRatio;

        public DateOnly On => on;

        public long Version => version;

        /// <summary>Whole years since founding on the day.</summary>
        public RangeIndex Years => _years ??= RangeIndex.Build(ComputeYears(), table.Count);

        public RangeIndex Employees => _employees ??= RangeIndex.Build(table._employees, table.Count);

        /// <summary>The R&amp;D ratio in ten-thousandths.</summary>
        public RangeIndex RdRatio => _rdRatio ??= RangeIndex.Build(table._rdRatioScaled, table.Count);

        /// <summary>The enterprises holding a qualification of the kind valid on the day.</summary>
        public ulong[] Valid(string kind) => _valid.GetOrAdd(kind, ComputeValid);

        private long[] ComputeYears()
        {
            var years = new long[table.Count];
            for (var id = 0; id < years.Length; id++)
            {
                years[id] = table._facts[id].YearsSinceFounding(on);
            }
            return years;
        }

        private ulong[] ComputeValid(string kind)
        {
            var words = new ulong[table.WordCount];
            if (table.Posting("q:" + kind) is not { } held)
            {
                return words;
            }
            for (var id = 0; id < table.Count; id++)
            {
                if (held.Contains(id) && table._facts[id].Qualifications.Any(q => q.Kind == kind && q.IsValidOn(on)))
                {
                    words[id >> 6] |= 1UL << (id & 63);
                }
            }
            return words;
        }
    }
}
