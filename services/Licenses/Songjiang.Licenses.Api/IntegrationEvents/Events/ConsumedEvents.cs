using Songjiang.EventBus;
using System.Text.Json;

namespace Songjiang.Licenses.Api.IntegrationEvents.Events;

// This service's copy of the cases service's event. The cases service owns the contract; this copy names only the
// fields issuance reads, so the publisher may add fields freely.

/// <summary>
/// An application was approved (cases), with the licence it yields as a typed section: the type, the holder and the
/// field values. Issuance reads nothing else — no matter code, no form.
/// </summary>
[IntegrationEvent("cases.application-approved.v2")]
public sealed record ApplicationApprovedIntegrationEvent(
    Guid ApplicationId,
    string ApplicationNumber,
    string? MatterCode,
    DateOnly ApprovedOn,
    ApprovedLicence? Licence) : IntegrationEvent;

/// <summary>The licence an approval yields.</summary>
/// <param name="Type">The licence type.</param>
/// <param name="HolderUscc">The holder; null when it is the enterprise the approval establishes.</param>
/// <param name="HolderName">The holder's name.</param>
/// <param name="HolderIsRegisteredEnterprise">Whether the holder is the enterprise the approval establishes.</param>
/// <param name="Fields">Licence field values.</param>
/// <param name="FromHolderProfile">Licence fields taken from the holder's registered details (licence field → detail).</param>
public sealed record ApprovedLicence(
    string Type, string? HolderUscc, string HolderName, bool HolderIsRegisteredEnterprise,
    IReadOnlyDictionary<string, JsonElement>? Fields, IReadOnlyDictionary<string, string>? FromHolderProfile);

/// <summary>An enterprise profile changed (enterprises): the registered details a licence may print.</summary>
[IntegrationEvent("enterprises.profile-changed.v1")]
public sealed record EnterpriseProfileChangedIntegrationEvent(string Uscc, EnterpriseProfileSnapshot Profile) : IntegrationEvent;

/// <summary>The profile fields this service keeps.</summary>
public sealed record EnterpriseProfileSnapshot(string? Name, string? LegalRepresentative, string? RegisteredAddress);

/// <summary>The register registered the enterprise an approved establishment asked for (enterprises).</summary>
[IntegrationEvent("enterprises.enterprise-registered.v1")]
public sealed record EnterpriseRegisteredIntegrationEvent(
    string Uscc, string Name, string ApplicationNumber, string? LegalRepresentative, string? RegisteredAddress) : IntegrationEvent;

/// <summary>A 承诺办 approval was revoked: post-approval verification found the commitment broken (cases).</summary>
[IntegrationEvent("cases.commitment-broken.v1")]
public sealed record CommitmentBrokenIntegrationEvent(
    Guid ApplicationId,
    string ApplicationNumber,
    string? MatterCode,
    string? ApplicantUscc,
    string? VerifiedBy,
    string? Note) : IntegrationEvent;
