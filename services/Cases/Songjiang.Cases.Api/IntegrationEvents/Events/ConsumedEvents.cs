using Songjiang.EventBus;

namespace Songjiang.Cases.Api.IntegrationEvents.Events;

// This service's copies of the events it consumes; the publishers own the contracts.

/// <summary>An electronic licence was issued (licences), on the application <see cref="ApplicationNumber"/> if any.</summary>
[IntegrationEvent("licenses.licence-issued.v2")]
public sealed record LicenceIssuedIntegrationEvent(
    string LicenceNumber, string TypeCode, string HolderUscc, DateOnly ValidFrom, DateOnly? ValidUntil, string? ApplicationNumber) : IntegrationEvent;

/// <summary>The policy radar found an enterprise newly eligible for a 免申即享 policy (docs/policyradar.md).</summary>
[IntegrationEvent("policyradar.benefit-offered.v1")]
public sealed record BenefitOfferedIntegrationEvent(
    Guid OfferId, string Uscc, string EnterpriseName, string PolicyId, int PolicyVersion, string PolicyTitle,
    string? DocumentNumber, string? IssuingBody, string? BenefitType, decimal? BenefitAmount,
    IReadOnlyList<string>? Reasons) : IntegrationEvent;

/// <summary>The enterprise register registered an enterprise an approved establishment asked for (enterprises).</summary>
[IntegrationEvent("enterprises.enterprise-registered.v1")]
public sealed record EnterpriseRegisteredIntegrationEvent(string Uscc, string Name, string ApplicationNumber) : IntegrationEvent;
