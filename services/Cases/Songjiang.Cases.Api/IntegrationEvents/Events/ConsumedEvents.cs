using Songjiang.EventBus;

namespace Songjiang.Cases.Api.IntegrationEvents.Events;

// This service's copies of the events it consumes; the publishers own the contracts.

/// <summary>An electronic licence was issued (licences); <see cref="ApplicationId"/> is the application's number.</summary>
[IntegrationEvent("licenses.licence-issued.v1")]
public sealed record LicenceIssuedIntegrationEvent(
    string LicenceNumber, string TypeCode, string HolderUscc, DateOnly ValidFrom, DateOnly? ValidUntil, string? ApplicationId) : IntegrationEvent;

/// <summary>The policy radar found an enterprise newly eligible for a 免申即享 policy (docs/policyradar.md).</summary>
[IntegrationEvent("policyradar.benefit-offered.v1")]
public sealed record BenefitOfferedIntegrationEvent(
    Guid OfferId, string Uscc, string EnterpriseName, string PolicyId, int PolicyVersion, string PolicyTitle,
    string? DocumentNumber, string? IssuingBody, string? BenefitType, decimal? BenefitAmount,
    IReadOnlyList<string>? Reasons) : IntegrationEvent;

/// <summary>The enterprise register registered an enterprise an approved establishment asked for (enterprises).</summary>
[IntegrationEvent("enterprises.enterprise-registered.v1")]
public sealed record EnterpriseRegisteredIntegrationEvent(string Uscc, string Name, string ApplicationNumber) : IntegrationEvent;
