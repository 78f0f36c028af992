using Songjiang.EventBus;

namespace Songjiang.Enterprises.Api.IntegrationEvents.Events;

// This service's copies of the events it consumes. The publishers own the contracts (cases, licences); these
// copies name only the fields the enterprise lifecycle needs, so publishers may add fields freely.

/// <summary>An application was submitted (cases).</summary>
[IntegrationEvent("cases.application-submitted.v1")]
public sealed record ApplicationSubmittedIntegrationEvent(
    Guid ApplicationId, string ApplicationNumber, string? MatterCode, string? BundleCode, string? ApplicantUscc,
    string? ParentNumber = null, string? MatterName = null) : IntegrationEvent, IApplicationEvent;

/// <summary>An application was approved (cases); the applications view follows it.</summary>
[IntegrationEvent("cases.application-approved.v1")]
public sealed record ApplicationApprovedIntegrationEvent(
    Guid ApplicationId, string ApplicationNumber, string? MatterCode, string? BundleCode, string? ApplicantUscc,
    string? ParentNumber = null, string? MatterName = null) : IntegrationEvent, IApplicationEvent;

/// <summary>
/// An application was approved (cases), with its typed effect on the register: the lifecycle reads
/// <see cref="Registration"/>, never the matter code or the form.
/// </summary>
[IntegrationEvent("cases.application-approved.v2")]
public sealed record ApplicationApprovedV2IntegrationEvent(
    Guid ApplicationId, string ApplicationNumber, string? MatterCode, string? BundleCode, string? ApplicantUscc, string? ApplicantName,
    string? SubmittedBy, DateOnly ApprovedOn, ApprovedRegistration? Registration) : IntegrationEvent;

/// <summary>An approval's effect on the register: <c>establish</c>, <c>change</c> or <c>deregister</c>.</summary>
public sealed record ApprovedRegistration(string Effect, string? Uscc, RegisteredDetails Details);

/// <summary>Registered details the approval sets (null: unchanged).</summary>
public sealed record RegisteredDetails(
    string? Name, string? LegalRepresentative, string? RegisteredAddress, decimal? RegisteredCapital, string? BusinessScope,
    string? IndustryCode, string? Location);

/// <summary>An application was rejected (cases).</summary>
[IntegrationEvent("cases.application-rejected.v1")]
public sealed record ApplicationRejectedIntegrationEvent(
    Guid ApplicationId, string ApplicationNumber, string? MatterCode, string? BundleCode, string? ApplicantUscc, string Reason,
    string? ParentNumber = null, string? MatterName = null) : IntegrationEvent, IApplicationEvent;

/// <summary>An application was accepted for review (cases), with its statutory due time.</summary>
[IntegrationEvent("cases.application-accepted.v1")]
public sealed record ApplicationAcceptedIntegrationEvent(
    Guid ApplicationId, string ApplicationNumber, string? MatterCode, string? BundleCode, string? ApplicantUscc,
    string? ParentNumber, string? MatterName, DateTimeOffset? StatutoryDueAt) : IntegrationEvent, IApplicationEvent;

/// <summary>The applicant was asked to correct materials (补正) (cases).</summary>
[IntegrationEvent("cases.application-correction-requested.v1")]
public sealed record ApplicationCorrectionRequestedIntegrationEvent(
    Guid ApplicationId, string ApplicationNumber, string? MatterCode, string? BundleCode, string? ApplicantUscc,
    string? ParentNumber, string? MatterName) : IntegrationEvent, IApplicationEvent;

/// <summary>The applicant resubmitted after a correction request (cases).</summary>
[IntegrationEvent("cases.application-resubmitted.v1")]
public sealed record ApplicationResubmittedIntegrationEvent(
    Guid ApplicationId, string ApplicationNumber, string? MatterCode, string? BundleCode, string? ApplicantUscc,
    string? ParentNumber, string? MatterName) : IntegrationEvent, IApplicationEvent;

/// <summary>An application was closed (cases): <see cref="Outcome"/> is approved, rejected, withdrawn, or completed for a bundle.</summary>
[IntegrationEvent("cases.application-completed.v1")]
public sealed record ApplicationCompletedIntegrationEvent(
    Guid ApplicationId, string ApplicationNumber, string? MatterCode, string? BundleCode, string? ApplicantUscc,
    string? ParentNumber, string? MatterName, string? Outcome) : IntegrationEvent, IApplicationEvent;

/// <summary>Post-approval verification found a commitment (告知承诺) broken (cases).</summary>
[IntegrationEvent("cases.commitment-broken.v1")]
public sealed record CommitmentBrokenIntegrationEvent(
    Guid ApplicationId, string ApplicationNumber, string? MatterCode, string? MatterName, string? ApplicantUscc,
    string? VerifiedBy, string? Note) : IntegrationEvent;

/// <summary>The fields every <c>cases.application-*</c> event carries that the applications view reads.</summary>
public interface IApplicationEvent
{
    /// <summary>The application.</summary>
    Guid ApplicationId { get; }

    /// <summary>Its number (办件编号).</summary>
    string ApplicationNumber { get; }

    /// <summary>The matter; null for a bundle parent.</summary>
    string? MatterCode { get; }

    /// <summary>The bundle (一件事), on a bundle parent and its children.</summary>
    string? BundleCode { get; }

    /// <summary>The applicant enterprise.</summary>
    string? ApplicantUscc { get; }

    /// <summary>The parent's number, on the children of a bundle.</summary>
    string? ParentNumber { get; }

    /// <summary>The matter's or bundle's name.</summary>
    string? MatterName { get; }

    /// <summary>When it happened.</summary>
    DateTimeOffset OccurredAt { get; }
}

/// <summary>An electronic licence was issued (licences).</summary>
[IntegrationEvent("licenses.licence-issued.v2")]
public sealed record LicenceIssuedIntegrationEvent(
    string LicenceNumber, string TypeCode, string HolderUscc, DateOnly ValidFrom, DateOnly? ValidUntil) : IntegrationEvent;

/// <summary>A licence was revoked, suspended or reinstated (licences).</summary>
[IntegrationEvent("licenses.licence-status-changed.v1")]
public sealed record LicenceStatusChangedIntegrationEvent(
    string LicenceNumber, string TypeCode, string HolderUscc, string Status, string? Reason) : IntegrationEvent;
