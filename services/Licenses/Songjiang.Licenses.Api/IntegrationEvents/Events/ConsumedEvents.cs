using Songjiang.EventBus;
using System.Text.Json;

namespace Songjiang.Licenses.Api.IntegrationEvents.Events;

// This service's copy of the cases service's event. The cases service owns the contract; this copy names only the
// fields issuance reads, so the publisher may add fields freely.

/// <summary>An application was approved (cases); <see cref="HolderUscc"/> is the enterprise the result belongs to.</summary>
[IntegrationEvent("cases.application-approved.v1")]
public sealed record ApplicationApprovedIntegrationEvent(
    Guid ApplicationId,
    string ApplicationNumber,
    string? MatterCode,
    string? HolderUscc,
    string? HolderName,
    JsonElement Form,
    DateTimeOffset? ApprovedAt) : IntegrationEvent;

/// <summary>A 承诺办 approval was revoked: post-approval verification found the commitment broken (cases).</summary>
[IntegrationEvent("cases.commitment-broken.v1")]
public sealed record CommitmentBrokenIntegrationEvent(
    Guid ApplicationId,
    string ApplicationNumber,
    string? MatterCode,
    string? ApplicantUscc,
    string? VerifiedBy,
    string? Note) : IntegrationEvent;
