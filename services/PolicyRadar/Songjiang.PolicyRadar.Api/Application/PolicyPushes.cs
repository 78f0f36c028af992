using Songjiang.ServiceDefaults.Time;
using Microsoft.EntityFrameworkCore;
using Songjiang.EventBus;
using Songjiang.PolicyRadar.Api.Criteria;
using Songjiang.PolicyRadar.Api.Domain;
using Songjiang.PolicyRadar.Api.Infrastructure;
using Songjiang.PolicyRadar.Api.IntegrationEvents.Events;
using Songjiang.PolicyRadar.Api.Matching;
using Songjiang.PolicyRadar.Api.Search;
using System.Diagnostics;

namespace Songjiang.PolicyRadar.Api.Application;

/// <summary>
/// 政策找人: finds newly eligible enterprises and pushes each (enterprise, policy version) once — a
/// <c>policy-matched</c> event, and for 免申即享 a <c>benefit-offered</c> event — recording the push in the ledger in
/// the caller's unit of work (the inbox transaction, or the sync's page), so a retry or redelivery pushes nothing twice.
/// </summary>
public sealed partial class PolicyPushes(
    PolicyRadarDbContext db,
    IOutbox<PolicyRadarDbContext> outbox,
    MatchingEngine engine,
    PolicySearchIndex index,
    TimeProvider clock,
    RadarMetrics metrics,
    ILogger<PolicyPushes> logger)
{
    /// <summary>After a publish: re-matches every enterprise against the version and notifies subscribers.</summary>
    public async Task<int> PolicyPublishedAsync(Guid policyId, int version, CancellationToken cancellationToken)
    {
        var row = await db.PolicyVersions.AsNoTracking()
            .SingleOrDefaultAsync(v => v.PolicyId == policyId && v.Version == version, cancellationToken);
        if (row is null || row.Status != PolicyStatus.Published)
        {
            // A newer version replaced it before this ran; that version's own event matches it.
            LogNotCurrent(policyId, version, row?.Status.ToString() ?? "missing");
            return 0;
        }
        var policy = MatchablePolicy.Of(row);
        var document = PolicyDocument.Of(row);
        engine.UpsertPolicy(policy);
        index.Upsert(document);

        var started = Stopwatch.GetTimestamp();
        var today = ChinaTime.Today(clock);
        var eligible = policy.IsCurrentOn(today) ? engine.EligibleEnterprises(policy, today) : [];
        var already = await db.Pushes
            .Where(p => p.PolicyId == policyId && p.PolicyVersion == version && p.Kind == PushRecord.MatchKind)
            .Select(p => p.Uscc).ToHashSetAsync(cancellationToken);
        var subscribed = await SubscribedTopicsAsync(null, cancellationToken);
        var pushed = 0;
        foreach (var (facts, name) in eligible)
        {
            if (!already.Contains(facts.Uscc))
            {
                AddMatch(policy, facts, name, today, subscribed);
                pushed++;
            }
        }
        var subscribers = await NotifySubscribersAsync(document, [.. eligible.Select(e => e.Facts.Uscc)], cancellationToken);
        metrics.Matched("policy-published", Stopwatch.GetElapsedTime(started));
        LogPolicyMatched(policyId, version, eligible.Count, pushed, subscribers);
        return pushed;
    }

    /// <summary>After a profile change: re-matches the enterprise against every published policy.</summary>
    public async Task<int> EnterpriseChangedAsync(EnterpriseFacts facts, string name, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var today = ChinaTime.Today(clock);
        var eligible = engine.EligiblePolicies(facts, today);
        if (eligible.Count == 0)
        {
            return 0;
        }
        var already = (await db.Pushes
                .Where(p => p.Uscc == facts.Uscc && p.Kind == PushRecord.MatchKind)
                .Select(p => new { p.PolicyId, p.PolicyVersion }).ToListAsync(cancellationToken))
            .Select(p => (p.PolicyId, p.PolicyVersion)).ToHashSet();
        var subscribed = await SubscribedTopicsAsync(facts.Uscc, cancellationToken);
        var pushed = 0;
        foreach (var policy in eligible.Where(p => !already.Contains((p.PolicyId, p.Version))))
        {
            AddMatch(policy, facts, name, today, subscribed);
            pushed++;
        }
        metrics.Matched("profile-changed", Stopwatch.GetElapsedTime(started));
        if (pushed > 0)
        {
            LogEnterpriseMatched(facts.Uscc, eligible.Count, pushed);
        }
        return pushed;
    }

    // The topics each enterprise subscribed to (one enterprise's, or everyone's), carried on the match for the
    // notification service.
    private async Task<ILookup<string, string>> SubscribedTopicsAsync(string? uscc, CancellationToken cancellationToken)
    {
        var subscriptions = db.Subscriptions.AsNoTracking();
        if (uscc is not null)
        {
            subscriptions = subscriptions.Where(s => s.Uscc == uscc);
        }
        return (await subscriptions.ToListAsync(cancellationToken))
            .SelectMany(s => s.Topics.Select(topic => (s.Uscc, Topic: topic)))
            .Distinct().ToLookup(s => s.Uscc, s => s.Topic, StringComparer.Ordinal);
    }

    private void AddMatch(MatchablePolicy policy, EnterpriseFacts facts, string name, DateOnly today, ILookup<string, string> subscribed)
    {
        var now = clock.GetUtcNow();
        var reasons = Reasons.From(policy.Criteria.Evaluate(facts, today).Explanation);
        var matched = new PolicyMatchedIntegrationEvent(
            facts.Uscc, name, policy.PolicyId, policy.Version, policy.Title, policy.BenefitType, policy.BenefitAmount, now, reasons,
            policy.ApplicationOpens, policy.ApplicationCloses, policy.Tags ?? [], [.. subscribed[facts.Uscc]]);
        outbox.Add(matched);
        metrics.Pushed("match", 1);
        Guid? offerId = null;
        if (policy.ExemptFromApplication)
        {
            offerId = OfferIds.For(facts.Uscc, policy.PolicyId, policy.Version);
            outbox.Add(new BenefitOfferedIntegrationEvent(
                offerId.Value, facts.Uscc, name, policy.PolicyId, policy.Version, policy.Title, policy.DocumentNumber, policy.IssuingBody,
                policy.BenefitType, policy.BenefitAmount, reasons, now));
            metrics.Pushed("benefit-offer", 1);
        }
        db.Pushes.Add(new PushRecord
        {
            Uscc = facts.Uscc, PolicyId = policy.PolicyId, PolicyVersion = policy.Version, Kind = PushRecord.MatchKind,
            PolicyTitle = policy.Title, EventId = matched.Id, OfferId = offerId, Reasons = [.. reasons], PushedAt = now,
        });
    }

    // One push per enterprise and version for all its subscriptions that fit: topics against the tags, keywords as
    // Chinese phrases in title, text or tags.
    private async Task<int> NotifySubscribersAsync(PolicyDocument policy, HashSet<string> eligible, CancellationToken cancellationToken)
    {
        var subscriptions = await db.Subscriptions.AsNoTracking().ToListAsync(cancellationToken);
        if (subscriptions.Count == 0)
        {
            return 0;
        }
        var already = await db.Pushes
            .Where(p => p.PolicyId == policy.PolicyId && p.PolicyVersion == policy.Version && p.Kind == PushRecord.SubscriptionKind)
            .Select(p => p.Uscc).ToHashSetAsync(cancellationToken);
        var tags = policy.AllTags.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var now = clock.GetUtcNow();
        var pushed = 0;
        foreach (var group in subscriptions.GroupBy(s => s.Uscc).Where(g => !already.Contains(g.Key)))
        {
            var topics = group.SelectMany(s => s.Topics).Where(tags.Contains).Distinct(StringComparer.Ordinal).ToList();
            var keywords = index.MatchingKeywords(policy, group.SelectMany(s => s.Keywords).Distinct(StringComparer.Ordinal)).ToList();
            if (topics.Count == 0 && keywords.Count == 0)
            {
                continue;
            }
            var first = group.First(s => s.Topics.Any(topics.Contains) || s.Keywords.Any(keywords.Contains));
            var notice = new SubscriptionMatchedIntegrationEvent(
                group.Key, first.Id, policy.PolicyId, policy.Version, policy.Title, topics, keywords, eligible.Contains(group.Key), now);
            outbox.Add(notice);
            db.Pushes.Add(new PushRecord
            {
                Uscc = group.Key, PolicyId = policy.PolicyId, PolicyVersion = policy.Version, Kind = PushRecord.SubscriptionKind,
                PolicyTitle = policy.Title, EventId = notice.Id, Reasons = [.. topics.Select(t => "订阅主题：" + t), .. keywords.Select(k => "订阅关键词：" + k)],
                PushedAt = now,
            });
            pushed++;
        }
        metrics.Pushed("subscription", pushed);
        return pushed;
    }

    [LoggerMessage(LogLevel.Information, "Policy {PolicyId} v{Version} is {Status}, not the published version; nothing to match")]
    private partial void LogNotCurrent(Guid policyId, int version, string status);

    [LoggerMessage(LogLevel.Information, "Policy {PolicyId} v{Version}: {Eligible} eligible enterprises, {Pushed} newly pushed, {Subscribers} subscribers notified")]
    private partial void LogPolicyMatched(Guid policyId, int version, int eligible, int pushed, int subscribers);

    [LoggerMessage(LogLevel.Information, "Enterprise {Uscc}: eligible for {Eligible} policies, {Pushed} newly pushed")]
    private partial void LogEnterpriseMatched(string uscc, int eligible, int pushed);
}
