using Songjiang.EventBus;

namespace Songjiang.Notifications.Api.IntegrationEvents.Events;

// This service's copies of the events it turns into messages. The publishers own the contracts (cases, licences,
// policy radar; see their docs); these copies name only the fields a message needs, so publishers may add fields.

/// <summary>The applicant must correct materials (补正) (cases).</summary>
[IntegrationEvent("cases.application-correction-requested.v1")]
public sealed record ApplicationCorrectionRequestedIntegrationEvent(
    Guid ApplicationId, string ApplicationNumber, string? MatterName, string? Department, string? ApplicantUscc,
    IReadOnlyList<string>? Materials, string? Note, IReadOnlyList<string>? MaterialNames, DateOnly? DueOn = null) : IntegrationEvent;

/// <summary>The window accepted the application (受理) (cases).</summary>
[IntegrationEvent("cases.application-accepted.v1")]
public sealed record ApplicationAcceptedIntegrationEvent(
    Guid ApplicationId, string ApplicationNumber, string? MatterName, string? ApplicantUscc, DateTimeOffset? StatutoryDueAt) : IntegrationEvent;

/// <summary>The applicant resubmitted after a correction request (cases).</summary>
[IntegrationEvent("cases.application-resubmitted.v1")]
public sealed record ApplicationResubmittedIntegrationEvent(
    Guid ApplicationId, string ApplicationNumber, string? MatterName, string? ApplicantUscc) : IntegrationEvent;

/// <summary>The application was approved (cases).</summary>
[IntegrationEvent("cases.application-approved.v1")]
public sealed record ApplicationApprovedIntegrationEvent(
    Guid ApplicationId, string ApplicationNumber, string? MatterName, string? ApplicantUscc, string? HolderUscc, string? HolderName,
    bool CommitmentBased) : IntegrationEvent;

/// <summary>The application was rejected, with the reason the applicant sees (cases).</summary>
[IntegrationEvent("cases.application-rejected.v1")]
public sealed record ApplicationRejectedIntegrationEvent(
    Guid ApplicationId, string ApplicationNumber, string? MatterName, string? ApplicantUscc, string? Reason) : IntegrationEvent;

/// <summary>Handling finished (办结) (cases).</summary>
[IntegrationEvent("cases.application-completed.v1")]
public sealed record ApplicationCompletedIntegrationEvent(
    Guid ApplicationId, string ApplicationNumber, string? ParentNumber, string? MatterName, string? ApplicantUscc, string? Outcome,
    DateTimeOffset? CompletedAt) : IntegrationEvent;

/// <summary>A task fell overdue and was escalated (督办), or a reminder is due (cases).</summary>
[IntegrationEvent("cases.task-overdue.v1")]
public sealed record TaskOverdueIntegrationEvent(
    Guid TaskId, string ApplicationNumber, string? Title, string Department, string? ClaimedBy, DateTimeOffset? DueAt,
    string? Escalation) : IntegrationEvent;

/// <summary>A task was put in a work list, or handed to a caseworker (cases).</summary>
[IntegrationEvent("cases.task-assigned.v1")]
public sealed record TaskAssignedIntegrationEvent(
    Guid TaskId, Guid ApplicationId, string ApplicationNumber, string? ApplicationName, string? ApplicantUscc, string? Title,
    string Department, string? AssignedTo, string? AssignedToName, DateTimeOffset? DueAt) : IntegrationEvent;

/// <summary>A task was completed or cancelled (cases).</summary>
[IntegrationEvent("cases.task-closed.v1")]
public sealed record TaskClosedIntegrationEvent(Guid TaskId, string ApplicationNumber, bool Completed) : IntegrationEvent;

/// <summary>An electronic licence was issued (licences).</summary>
[IntegrationEvent("licenses.licence-issued.v1")]
public sealed record LicenceIssuedIntegrationEvent(
    string LicenceNumber, string TypeCode, string HolderUscc, string? HolderName, DateOnly ValidFrom, DateOnly? ValidUntil) : IntegrationEvent;

/// <summary>A licence was revoked, suspended or reinstated (licences).</summary>
[IntegrationEvent("licenses.licence-status-changed.v1")]
public sealed record LicenceStatusChangedIntegrationEvent(
    string LicenceNumber, string TypeCode, string HolderUscc, string Status, string? Reason) : IntegrationEvent;

/// <summary>An enterprise became eligible for a policy version (政策找人) (policy radar).</summary>
[IntegrationEvent("policyradar.policy-matched.v1")]
public sealed record PolicyMatchedIntegrationEvent(
    string Uscc, string? EnterpriseName, Guid PolicyId, int PolicyVersion, string PolicyTitle, decimal? BenefitAmount,
    IReadOnlyList<string>? Reasons, DateOnly? ApplicationOpens, DateOnly? ApplicationCloses, IReadOnlyList<string>? Tags,
    IReadOnlyList<string>? SubscribedTopics) : IntegrationEvent;

/// <summary>免申即享: a benefit is offered; the enterprise only confirms (policy radar).</summary>
[IntegrationEvent("policyradar.benefit-offered.v1")]
public sealed record BenefitOfferedIntegrationEvent(
    Guid OfferId, string Uscc, Guid PolicyId, int PolicyVersion, string PolicyTitle, string? DocumentNumber, string? IssuingBody,
    decimal? BenefitAmount, IReadOnlyList<string>? Reasons) : IntegrationEvent;

/// <summary>A new policy fits one of the enterprise's subscriptions (policy radar).</summary>
[IntegrationEvent("policyradar.subscription-matched.v1")]
public sealed record SubscriptionMatchedIntegrationEvent(
    string Uscc, Guid PolicyId, int PolicyVersion, string PolicyTitle, IReadOnlyList<string>? MatchedTopics,
    IReadOnlyList<string>? MatchedKeywords, bool Eligible) : IntegrationEvent;
