using Songjiang.PolicyRadar.Api.Criteria;

namespace Songjiang.PolicyRadar.Api.Matching;

/// <summary>
/// Every enterprise profile and every published policy in memory, with inverted indexes on discrete attributes in
/// both directions. A policy finds its eligible enterprises through its <see cref="MatchPlan"/>: its discrete
/// conjuncts are answered exactly by intersecting bitsets (one bit per enterprise), and only the enterprises left run
/// its numeric conditions, column by column. An enterprise finds its candidate policies through the keys it holds. The
/// cost grows with candidates, not with enterprises × policies. Thread-safe: many readers, one writer.
/// </summary>
public sealed class MatchingEngine : IDisposable
{
    private const string Deregistered = "Deregistered";

    private readonly ReaderWriterLockSlim _lock = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Enterprises: dense ids, profiles, postings by key and numeric columns.
    private readonly EnterpriseTable _enterprises = new();

    // Policies: by id, and indexed under the keys of the one constraint chosen for each.
    private readonly Dictionary<Guid, MatchablePolicy> _policies = [];
    private readonly Dictionary<Guid, IReadOnlyList<string>> _policyKeys = [];
    private readonly Dictionary<string, HashSet<Guid>> _policiesByKey = new(StringComparer.Ordinal);
    private readonly HashSet<Guid> _unconstrained = [];

    /// <summary>Completes once the engine holds the database's state (the loader marks it).</summary>
    public Task Ready => _ready.Task;

    /// <summary>Enterprises held.</summary>
    public int EnterpriseCount => Read(() => _enterprises.Count);

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
            _enterprises.Upsert(facts, name);
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
            var chosen = policy.Constraints.MinBy(_enterprises.Estimate);
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
        Read<(EnterpriseFacts, string)?>(() => _enterprises.TryGetId(uscc, out var id) ? (_enterprises.Facts(id), _enterprises.Name(id)) : null);

    /// <summary>The enterprises eligible for a policy on a date, found through the index.</summary>
    public IReadOnlyList<(EnterpriseFacts Facts, string Name)> EligibleEnterprises(MatchablePolicy policy, DateOnly on) =>
        Read(() => Profiles(_enterprises.Eligible(policy.Plan, on)));

    /// <summary>The same answer as <see cref="EligibleEnterprises"/> by testing every enterprise: the baseline.</summary>
    public IReadOnlyList<(EnterpriseFacts Facts, string Name)> EligibleEnterprisesNaive(MatchablePolicy policy, DateOnly on) =>
        Read(() => Profiles(EligibleIdsNaiveLocked(policy, on)));

    /// <summary>
    /// The dense ids (ascending) of the enterprises eligible for a policy on a date: the policy's discrete conjuncts
    /// answered by intersecting bitsets, its numeric conditions tested column by column on what is left. An id always
    /// names the same enterprise (its profile may change); <see cref="Enterprise(int)"/> reads it.
    /// </summary>
    public int[] EligibleIds(MatchablePolicy policy, DateOnly on) => Read(() => _enterprises.Eligible(policy.Plan, on));

    /// <summary>The same answer as <see cref="EligibleIds"/> by running the compiled criteria on every profile: the baseline.</summary>
    public int[] EligibleIdsNaive(MatchablePolicy policy, DateOnly on) => Read(() => EligibleIdsNaiveLocked(policy, on));

    /// <summary>The enterprise with a dense id from <see cref="EligibleIds"/>.</summary>
    public (EnterpriseFacts Facts, string Name) Enterprise(int id) => Read(() => (_enterprises.Facts(id), _enterprises.Name(id)));

    /// <summary>How many enterprises the index offers a policy as candidates on a date (for diagnostics and the benchmark).</summary>
    public int CandidateCount(MatchablePolicy policy, DateOnly on) => Read(() => _enterprises.CandidateCount(policy.Plan, on));

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

    private int[] EligibleIdsNaiveLocked(MatchablePolicy policy, DateOnly on)
    {
        var count = _enterprises.Count;
        var found = new List<int>();
        for (var id = 0; id < count; id++)
        {
            var facts = _enterprises.Facts(id);
            if (facts.Stage != Deregistered && policy.Criteria.IsMet(facts, on))
            {
                found.Add(id);
            }
        }
        return [.. found];
    }

    private (EnterpriseFacts Facts, string Name)[] Profiles(int[] ids)
    {
        var profiles = new (EnterpriseFacts, string)[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            profiles[i] = (_enterprises.Facts(ids[i]), _enterprises.Name(ids[i]));
        }
        return profiles;
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
