using Songjiang.EventBus;

namespace Songjiang.Cases.Api.IntegrationEvents.Events;

// This service's copies of the events it consumes; the publishers own the contracts.

/// <summary>The policy radar found an enterprise newly eligible for a 免申即享 policy (docs/policyradar.md).</summary>
[IntegrationEvent("policyradar.benefit-offered.v1")]
public sealed record BenefitOfferedIntegrationEvent(
    Guid OfferId, string Uscc, string EnterpriseName, string PolicyId, int PolicyVersion, string PolicyTitle,
    string? DocumentNumber, string? IssuingBody, string? BenefitType, decimal? BenefitAmount,
    IReadOnlyList<string>? Reasons) : IntegrationEvent;
