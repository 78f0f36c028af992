using Songjiang.PolicyRadar.Api.Criteria;

namespace Songjiang.PolicyRadar.Api.Matching;

/// <summary>
/// Every enterprise profile and every published policy in memory, with inverted indexes on discrete attributes in
/// both directions: a policy finds its candidate enterprises by intersecting the bitsets of its necessary constraints
/// (each the union of its keys' postings), an enterprise finds its candidate policies through the keys it holds. Only candidates run the compiled criteria, so
/// the cost grows with candidates, not with enterprises × policies. Thread-safe: many readers, one writer.
/// </summary>
public sealed class MatchingEngine : IDisposable
{
    private const string Deregistered = "Deregistered";

    private readonly ReaderWriterLockSlim _lock = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Enterprises: dense ids, facts and names by id, postings by key.
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<EnterpriseFacts> _facts = [];
    private readonly List<string> _names = [];
    private readonly Dictionary<string, Bitset> _postings = new(StringComparer.Ordinal);

    // Policies: by id, and indexed under the keys of the one constraint chosen for each.
    private readonly Dictionary<Guid, MatchablePolicy> _policies = [];
    private readonly Dictionary<Guid, IReadOnlyList<string>> _policyKeys = [];
    private readonly Dictionary<string, HashSet<Guid>> _policiesByKey = new(StringComparer.Ordinal);
    private readonly HashSet<Guid> _unconstrained = [];

    /// <summary>Completes once the engine holds the database's state (the loader marks it).</summary>
    public Task Ready => _ready.Task;

    /// <summary>Enterprises held.</summary>
    public int EnterpriseCount => Read(() => _facts.Count);

    /// <summary>Published policies held.</summary>
    public int PolicyCount => Read(() => _policies.Count);

    /// <summary>Marks the initial load done.</summary>
    public void MarkReady() => _ready.TrySetResult();

    /// <summary>Adds or replaces an enterprise.</summary>
    public void UpsertEnterprise(EnterpriseFacts facts, string name)
    {
        _lock.EnterWriteLock();
        try
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
            }
            foreach (var key in CandidateKeys.Of(facts))
            {
                if (!_postings.TryGetValue(key, out var posting))
                {
                    _postings[key] = posting = new Bitset();
                }
                posting.Add(id);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Adds or replaces a policy (its published version).</summary>
    public void UpsertPolicy(MatchablePolicy policy)
    {
        _lock.EnterWriteLock();
        try
        {
            RemovePolicyLocked(policy.PolicyId);
            _policies[policy.PolicyId] = policy;
            // Index under the most selective constraint as the population stands now; any choice is correct.
            var chosen = policy.Constraints.MinBy(EstimateLocked);
            if (chosen is null)
            {
                _unconstrained.Add(policy.PolicyId);
                return;
            }
            _policyKeys[policy.PolicyId] = chosen.Keys;
            foreach (var key in chosen.Keys)
            {
                if (!_policiesByKey.TryGetValue(key, out var set))
                {
                    _policiesByKey[key] = set = [];
                }
                set.Add(policy.PolicyId);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes a policy.</summary>
    public void RemovePolicy(Guid policyId)
    {
        _lock.EnterWriteLock();
        try
        {
            RemovePolicyLocked(policyId);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>The policy as held, if published.</summary>
    public MatchablePolicy? FindPolicy(Guid policyId) => Read(() => _policies.GetValueOrDefault(policyId));

    /// <summary>The enterprise as held.</summary>
    public (EnterpriseFacts Facts, string Name)? FindEnterprise(string uscc) =>
        Read<(EnterpriseFacts, string)?>(() => _ids.TryGetValue(uscc, out var id) ? (_facts[id], _names[id]) : null);

    /// <summary>The enterprises eligible for a policy on a date, found through the index.</summary>
    public IReadOnlyList<(EnterpriseFacts Facts, string Name)> EligibleEnterprises(MatchablePolicy policy, DateOnly on)
    {
        _lock.EnterReadLock();
        try
        {
            var eligible = new List<(EnterpriseFacts, string)>();
            foreach (var id in CandidatesLocked(policy))
            {
                var facts = _facts[id];
                if (facts.Stage != Deregistered && policy.Criteria.IsMet(facts, on))
                {
                    eligible.Add((facts, _names[id]));
                }
            }
            return eligible;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>The same answer as <see cref="EligibleEnterprises"/> by testing every enterprise: the baseline.</summary>
    public IReadOnlyList<(EnterpriseFacts Facts, string Name)> EligibleEnterprisesNaive(MatchablePolicy policy, DateOnly on)
    {
        _lock.EnterReadLock();
        try
        {
            var eligible = new List<(EnterpriseFacts, string)>();
            for (var id = 0; id < _facts.Count; id++)
            {
                var facts = _facts[id];
                if (facts.Stage != Deregistered && policy.Criteria.IsMet(facts, on))
                {
                    eligible.Add((facts, _names[id]));
                }
            }
            return eligible;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>How many enterprises the index offers a policy as candidates (for diagnostics and the benchmark).</summary>
    public int CandidateCount(MatchablePolicy policy) => Read(() => CandidatesLocked(policy).Count());

    /// <summary>The current policies an enterprise is eligible for on a date, found through the index.</summary>
    public IReadOnlyList<MatchablePolicy> EligiblePolicies(EnterpriseFacts facts, DateOnly on)
    {
        if (facts.Stage == Deregistered)
        {
            return [];
        }
        _lock.EnterReadLock();
        try
        {
            var eligible = new List<MatchablePolicy>();
            foreach (var policyId in CandidatePoliciesLocked(facts))
            {
                var policy = _policies[policyId];
                if (policy.IsCurrentOn(on) && policy.Criteria.IsMet(facts, on))
                {
                    eligible.Add(policy);
                }
            }
            return eligible;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// Current policies an enterprise fails by exactly one condition on a date, with the verdict naming it. Every
    /// policy is looked at, because the missing condition may be the one the index keys on; a cheap count of failing
    /// conjuncts rules most out before any explanation is built.
    /// </summary>
    public IReadOnlyList<(MatchablePolicy Policy, Verdict Verdict)> NearMisses(EnterpriseFacts facts, DateOnly on)
    {
        _lock.EnterReadLock();
        try
        {
            var misses = new List<(MatchablePolicy, Verdict)>();
            foreach (var policy in _policies.Values)
            {
                if (!policy.IsCurrentOn(on) || policy.Criteria.CountFailingConjuncts(facts, on, stopAt: 2) != 1)
                {
                    continue;
                }
                var verdict = policy.Criteria.Evaluate(facts, on);
                if (verdict.IsNearMiss)
                {
                    misses.Add((policy, verdict));
                }
            }
            return misses;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Every published policy held.</summary>
    public IReadOnlyList<MatchablePolicy> Policies() => Read(() => (IReadOnlyList<MatchablePolicy>)[.. _policies.Values]);

    /// <inheritdoc />
    public void Dispose() => _lock.Dispose();

    private IEnumerable<int> CandidatesLocked(MatchablePolicy policy)
    {
        if (policy.Constraints.Count == 0)
        {
            return Enumerable.Range(0, _facts.Count);
        }
        // Most selective first; stop intersecting once a constraint could not narrow much further.
        var words = (_facts.Count + 63) >> 6;
        ulong[]? result = null;
        var remaining = int.MaxValue;
        foreach (var (constraint, estimate) in policy.Constraints.Select(c => (c, EstimateLocked(c))).OrderBy(x => x.Item2))
        {
            if (result is not null && estimate >= _facts.Count * 0.9)
            {
                break;
            }
            var union = new ulong[words];
            foreach (var key in constraint.Keys)
            {
                _postings.GetValueOrDefault(key)?.OrInto(union);
            }
            if (result is null)
            {
                result = union;
            }
            else
            {
                for (var i = 0; i < words; i++)
                {
                    result[i] &= union[i];
                }
            }
            remaining = Math.Min(remaining, estimate);
            if (remaining == 0)
            {
                break;
            }
        }
        return Bitset.Members(result!);
    }

    private HashSet<Guid> CandidatePoliciesLocked(EnterpriseFacts facts)
    {
        var candidates = new HashSet<Guid>(_unconstrained);
        foreach (var key in CandidateKeys.Of(facts))
        {
            if (_policiesByKey.TryGetValue(key, out var policies))
            {
                candidates.UnionWith(policies);
            }
        }
        return candidates;
    }

    private int EstimateLocked(DiscreteConstraint constraint) =>
        constraint.Keys.Sum(key => _postings.TryGetValue(key, out var posting) ? posting.Count : 0);

    private void RemovePolicyLocked(Guid policyId)
    {
        _policies.Remove(policyId);
        _unconstrained.Remove(policyId);
        if (_policyKeys.Remove(policyId, out var keys))
        {
            foreach (var key in keys)
            {
                _policiesByKey[key].Remove(policyId);
            }
        }
    }

    private T Read<T>(Func<T> read)
    {
        _lock.EnterReadLock();
        try
        {
            return read();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }
}
