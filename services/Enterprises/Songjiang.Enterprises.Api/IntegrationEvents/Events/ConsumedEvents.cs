using Songjiang.EventBus;
using System.Text.Json;

namespace Songjiang.Enterprises.Api.IntegrationEvents.Events;

// This service's copies of the events it consumes. The publishers own the contracts (cases, licences); these
// copies name only the fields the enterprise lifecycle needs, so publishers may add fields freely.

/// <summary>An application was submitted (cases).</summary>
[IntegrationEvent("cases.application-submitted.v1")]
public sealed record ApplicationSubmittedIntegrationEvent(
    Guid ApplicationId, string ApplicationNumber, string? MatterCode, string? BundleCode, string? ApplicantUscc) : IntegrationEvent;

/// <summary>An application was approved (cases); for an establishment it carries the newly assigned USCC.</summary>
[IntegrationEvent("cases.application-approved.v1")]
public sealed record ApplicationApprovedIntegrationEvent(
    Guid ApplicationId, string ApplicationNumber, string? MatterCode, string? BundleCode, string? ApplicantUscc,
    string? AssignedUscc, JsonElement Form) : IntegrationEvent;

/// <summary>An application was rejected (cases).</summary>
[IntegrationEvent("cases.application-rejected.v1")]
public sealed record ApplicationRejectedIntegrationEvent(
    Guid ApplicationId, string ApplicationNumber, string? MatterCode, string? BundleCode, string? ApplicantUscc, string Reason) : IntegrationEvent;

/// <summary>An electronic licence was issued (licences).</summary>
[IntegrationEvent("licenses.licence-issued.v1")]
public sealed record LicenceIssuedIntegrationEvent(
    string LicenceNumber, string TypeCode, string HolderUscc, DateOnly ValidFrom, DateOnly? ValidUntil) : IntegrationEvent;

/// <summary>A licence was revoked, suspended or reinstated (licences).</summary>
[IntegrationEvent("licenses.licence-status-changed.v1")]
public sealed record LicenceStatusChangedIntegrationEvent(
    string LicenceNumber, string TypeCode, string HolderUscc, string Status, string? Reason) : IntegrationEvent;
