using Songjiang.EventBus;

namespace Songjiang.PolicyRadar.Api.IntegrationEvents.Events;

// The policy radar owns these contracts (docs/policyradar.md). A new incompatible shape gets a new topic.

/// <summary>A policy version was published and is now in force for matching and search.</summary>
[IntegrationEvent("policyradar.policy-published.v1")]
public sealed record PolicyPublishedIntegrationEvent(
    Guid PolicyId,
    int Version,
    string Title,
    string Level,
    string IssuingBody,
    string DocumentNumber,
    bool ExemptFromApplication,
    DateTimeOffset PublishedAt) : IntegrationEvent;

/// <summary>
/// An enterprise became eligible for a policy version (政策找人), for the notification service to deliver. Published
/// once per enterprise and policy version. <see cref="Tags"/> are the policy's tags (industries, enterprise kinds,
/// topics, level) and <see cref="SubscribedTopics"/> the topics the enterprise subscribed to when it matched, so the
/// notification service honours the subscriptions without calling back; both empty in events published before them.
/// </summary>
[IntegrationEvent("policyradar.policy-matched.v1")]
public sealed record PolicyMatchedIntegrationEvent(
    string Uscc,
    string EnterpriseName,
    Guid PolicyId,
    int PolicyVersion,
    string PolicyTitle,
    string BenefitType,
    decimal? BenefitAmount,
    DateTimeOffset MatchedAt,
    IReadOnlyList<string> Reasons,
    DateOnly? ApplicationOpens = null,
    DateOnly? ApplicationCloses = null,
    IReadOnlyList<string>? Tags = null,
    IReadOnlyList<string>? SubscribedTopics = null) : IntegrationEvent;

/// <summary>
/// 免申即享: an eligible enterprise is offered a policy's benefit without applying; the cases service opens a case that
/// only needs the enterprise's confirmation. <see cref="OfferId"/> is derived from USCC, policy and version, so a
/// redelivery or a repeated offer carries the same id.
/// </summary>
[IntegrationEvent("policyradar.benefit-offered.v1")]
public sealed record BenefitOfferedIntegrationEvent(
    Guid OfferId,
    string Uscc,
    string EnterpriseName,
    Guid PolicyId,
    int PolicyVersion,
    string PolicyTitle,
    string DocumentNumber,
    string IssuingBody,
    string BenefitType,
    decimal? BenefitAmount,
    IReadOnlyList<string> Reasons,
    DateTimeOffset OfferedAt) : IntegrationEvent;

/// <summary>A newly published policy fits one of an enterprise's subscriptions (topics or keywords).</summary>
[IntegrationEvent("policyradar.subscription-matched.v1")]
public sealed record SubscriptionMatchedIntegrationEvent(
    string Uscc,
    Guid SubscriptionId,
    Guid PolicyId,
    int PolicyVersion,
    string PolicyTitle,
    IReadOnlyList<string> MatchedTopics,
    IReadOnlyList<string> MatchedKeywords,
    bool Eligible,
    DateTimeOffset MatchedAt) : IntegrationEvent;
