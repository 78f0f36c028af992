using System.Text.Json;
using Songjiang.EventBus;

namespace Songjiang.Cases.Api.IntegrationEvents.Events;

// The cases service's published contract (docs/cases.md). Every event names the application the same way, so a
// consumer can read any of them with one record of the fields it needs.

/// <summary>The fields every application event carries.</summary>
/// <param name="ApplicationId">The application.</param>
/// <param name="ApplicationNumber">Its number.</param>
/// <param name="ParentNumber">The bundle parent's number, on a bundle's children.</param>
/// <param name="MatterCode">The matter (null on a bundle parent and a benefit).</param>
/// <param name="MatterName">The matter's, bundle's or policy's name.</param>
/// <param name="BundleCode">The bundle, on the parent and its children.</param>
/// <param name="Department">The lead department.</param>
/// <param name="ApplicantUscc">The applicant.</param>
/// <param name="ApplicantName">The applicant's name.</param>
/// <param name="Channel"><c>online</c>, <c>window</c>, <c>partner-city</c> or <c>proactive</c>.</param>
public abstract record ApplicationEvent(
    Guid ApplicationId, string ApplicationNumber, string? ParentNumber, string? MatterCode, string MatterName,
    string? BundleCode, string Department, string? ApplicantUscc, string ApplicantName, string Channel) : IntegrationEvent
{
    /// <summary>
    /// On a status event (accepted, correction requested, resubmitted, approved, rejected, completed): its place among the
    /// application's status events, from 1, so a consumer of several topics can restore the case's own order (v1 and v2
    /// of one approval carry the same number). 0 on other events.
    /// </summary>
    public int StatusSequence { get; init; }
}

/// <summary>An application was submitted.</summary>
[IntegrationEvent("cases.application-submitted.v1")]
public sealed record ApplicationSubmittedIntegrationEvent(
    Guid ApplicationId, string ApplicationNumber, string? ParentNumber, string? MatterCode, string MatterName,
    string? BundleCode, string Department, string? ApplicantUscc, string ApplicantName, string Channel,
    JsonElement Form, DateTimeOffset SubmittedAt, string? OnBehalfOf)
    : ApplicationEvent(ApplicationId, ApplicationNumber, ParentNumber, MatterCode, MatterName, BundleCode, Department, ApplicantUscc, ApplicantName, Channel)
{
    /// <summary>The G60 city whose authority handles the application (收受分离: the exchange forwards it there), or null when handled here.</summary>
    public string? HandledByCity { get; init; }
}

/// <summary>The window accepted the application (受理).</summary>
[IntegrationEvent("cases.application-accepted.v1")]
public sealed record ApplicationAcceptedIntegrationEvent(
    Guid ApplicationId, string ApplicationNumber, string? ParentNumber, string? MatterCode, string MatterName,
    string? BundleCode, string Department, string? ApplicantUscc, string ApplicantName, string Channel,
    string AcceptedBy, DateTimeOffset? StatutoryDueAt)
    : ApplicationEvent(ApplicationId, ApplicationNumber, ParentNumber, MatterCode, MatterName, BundleCode, Department, ApplicantUscc, ApplicantName, Channel);

/// <summary>
/// The applicant must correct materials (补正); the statutory clock is paused. <see cref="Materials"/> are the matter's
/// material codes, <see cref="MaterialNames"/> the same materials by name, in the same order, for messages to the applicant.
/// <see cref="DueAt"/> is the end of the correction's deadline (the workflow step's <c>dueWorkingDays</c>),
/// <see cref="DueOn"/> its last day as a China calendar day; both absent when the step declares no deadline. Added
/// fields, so version 1 stands: consumers that do not know them ignore them.
/// </summary>
[IntegrationEvent("cases.application-correction-requested.v1")]
public sealed record ApplicationCorrectionRequestedIntegrationEvent(
    Guid ApplicationId, string ApplicationNumber, string? ParentNumber, string? MatterCode, string MatterName,
    string? BundleCode, string Department, string? ApplicantUscc, string ApplicantName, string Channel,
    IReadOnlyList<string> Materials, string Note, IReadOnlyList<string>? MaterialNames = null,
    DateTimeOffset? DueAt = null, DateOnly? DueOn = null)
    : ApplicationEvent(ApplicationId, ApplicationNumber, ParentNumber, MatterCode, MatterName, BundleCode, Department, ApplicantUscc, ApplicantName, Channel);

/// <summary>The applicant resubmitted after a correction request; the clock runs again.</summary>
[IntegrationEvent("cases.application-resubmitted.v1")]
public sealed record ApplicationResubmittedIntegrationEvent(
    Guid ApplicationId, string ApplicationNumber, string? ParentNumber, string? MatterCode, string MatterName,
    string? BundleCode, string Department, string? ApplicantUscc, string ApplicantName, string Channel)
    : ApplicationEvent(ApplicationId, ApplicationNumber, ParentNumber, MatterCode, MatterName, BundleCode, Department, ApplicantUscc, ApplicantName, Channel);

/// <summary>
/// The application was approved, with the form, the holder and the holder's name. Superseded by v2; kept until no
/// consumer reads it. <c>AssignedUscc</c> is always null now: the enterprise register assigns a new enterprise's code
/// and announces it in <c>enterprises.enterprise-registered.v1</c>.
/// </summary>
[IntegrationEvent("cases.application-approved.v1")]
public sealed record ApplicationApprovedIntegrationEvent(
    Guid ApplicationId, string ApplicationNumber, string? ParentNumber, string? MatterCode, string MatterName,
    string? BundleCode, string Department, string? ApplicantUscc, string ApplicantName, string Channel,
    JsonElement Form, string? AssignedUscc, string? HolderUscc, string HolderName, string ApprovedBy,
    DateTimeOffset ApprovedAt, bool CommitmentBased)
    : ApplicationEvent(ApplicationId, ApplicationNumber, ParentNumber, MatterCode, MatterName, BundleCode, Department, ApplicantUscc, ApplicantName, Channel);

/// <summary>
/// The application was approved, with what the approval means as the catalog declared it for the matter, resolved
/// against the form: the licence to issue (typed fields, no form to read) and the effect on the enterprise register.
/// Replaces v1, which stays published until no consumer reads it.
/// </summary>
/// <param name="ApprovedBy">Who approved.</param>
/// <param name="ApprovedAt">When, in China time.</param>
/// <param name="ApprovedOn">The China calendar day of the approval.</param>
/// <param name="CommitmentBased">Whether approved on the applicant's commitment (承诺办).</param>
/// <param name="SubmittedBy">The user who submitted the application: on an establishment, the registrant who may act for the new enterprise.</param>
/// <param name="Licence">The licence the approval yields, or null.</param>
/// <param name="Registration">The approval's effect on the enterprise register, or null.</param>
[IntegrationEvent("cases.application-approved.v2")]
public sealed record ApplicationApprovedV2IntegrationEvent(
    Guid ApplicationId, string ApplicationNumber, string? ParentNumber, string? MatterCode, string MatterName,
    string? BundleCode, string Department, string? ApplicantUscc, string ApplicantName, string Channel,
    string ApprovedBy, DateTimeOffset ApprovedAt, DateOnly ApprovedOn, bool CommitmentBased, string SubmittedBy,
    ApprovedLicence? Licence, ApprovedRegistration? Registration)
    : ApplicationEvent(ApplicationId, ApplicationNumber, ParentNumber, MatterCode, MatterName, BundleCode, Department, ApplicantUscc, ApplicantName, Channel);

/// <summary>The licence an approval yields.</summary>
/// <param name="Type">The licence type's code.</param>
/// <param name="HolderUscc">The holder; null when the holder is the enterprise this approval registers.</param>
/// <param name="HolderName">The holder's name.</param>
/// <param name="HolderIsRegisteredEnterprise">Whether the holder is the enterprise this approval establishes: the licence waits for the register's code.</param>
/// <param name="Fields">The licence fields the approval supplies.</param>
/// <param name="FromHolderProfile">Licence fields the issuer takes from the holder's registered details (licence field → registered detail).</param>
public sealed record ApprovedLicence(
    string Type, string? HolderUscc, string HolderName, bool HolderIsRegisteredEnterprise,
    IReadOnlyDictionary<string, JsonElement> Fields, IReadOnlyDictionary<string, string> FromHolderProfile);

/// <summary>An approval's effect on the enterprise register.</summary>
/// <param name="Effect"><c>establish</c>, <c>change</c> or <c>deregister</c>.</param>
/// <param name="Uscc">The enterprise changed or deregistered; null on establishment (the register assigns the code).</param>
/// <param name="Details">The registered details the approval sets (only those it sets are non-null).</param>
public sealed record ApprovedRegistration(string Effect, string? Uscc, RegisteredDetails Details);

/// <summary>Registered details (登记事项).</summary>
public sealed record RegisteredDetails(
    string? Name, string? LegalRepresentative, string? RegisteredAddress, decimal? RegisteredCapital, string? BusinessScope,
    string? IndustryCode, string? Location);

/// <summary>The application was rejected (不予受理 or 不予许可), with the reason the applicant sees.</summary>
[IntegrationEvent("cases.application-rejected.v1")]
public sealed record ApplicationRejectedIntegrationEvent(
    Guid ApplicationId, string ApplicationNumber, string? ParentNumber, string? MatterCode, string MatterName,
    string? BundleCode, string Department, string? ApplicantUscc, string ApplicantName, string Channel,
    string Reason, string RejectedBy)
    : ApplicationEvent(ApplicationId, ApplicationNumber, ParentNumber, MatterCode, MatterName, BundleCode, Department, ApplicantUscc, ApplicantName, Channel);

/// <summary>Handling finished (办结).</summary>
[IntegrationEvent("cases.application-completed.v1")]
public sealed record ApplicationCompletedIntegrationEvent(
    Guid ApplicationId, string ApplicationNumber, string? ParentNumber, string? MatterCode, string MatterName,
    string? BundleCode, string Department, string? ApplicantUscc, string ApplicantName, string Channel,
    string Outcome, DateTimeOffset CompletedAt, int WorkingDaysTaken, bool OnTime)
    : ApplicationEvent(ApplicationId, ApplicationNumber, ParentNumber, MatterCode, MatterName, BundleCode, Department, ApplicantUscc, ApplicantName, Channel);

/// <summary>A 承诺办 post-approval verification found the commitment broken; the approval is revoked.</summary>
[IntegrationEvent("cases.commitment-broken.v1")]
public sealed record CommitmentBrokenIntegrationEvent(
    Guid ApplicationId, string ApplicationNumber, string? ParentNumber, string? MatterCode, string MatterName,
    string? BundleCode, string Department, string? ApplicantUscc, string ApplicantName, string Channel,
    string VerifiedBy, string Note)
    : ApplicationEvent(ApplicationId, ApplicationNumber, ParentNumber, MatterCode, MatterName, BundleCode, Department, ApplicantUscc, ApplicantName, Channel);

/// <summary>The applicant rated the service (好差评).</summary>
[IntegrationEvent("cases.application-rated.v1")]
public sealed record ApplicationRatedIntegrationEvent(
    Guid ApplicationId, string ApplicationNumber, string? ParentNumber, string? MatterCode, string MatterName,
    string? BundleCode, string Department, string? ApplicantUscc, string ApplicantName, string Channel,
    int Rating, string? Comment, bool FollowUpOpened)
    : ApplicationEvent(ApplicationId, ApplicationNumber, ParentNumber, MatterCode, MatterName, BundleCode, Department, ApplicantUscc, ApplicantName, Channel);

/// <summary>A task fell overdue and was escalated (督办), or a reminder is due.</summary>
/// <param name="TaskId">The task.</param>
/// <param name="ApplicationNumber">Its application.</param>
/// <param name="MatterCode">The matter.</param>
/// <param name="NodeId">The step (accept, review, …).</param>
/// <param name="Title">The step's title.</param>
/// <param name="Department">The department that holds it.</param>
/// <param name="ClaimedBy">Who had claimed it.</param>
/// <param name="DueAt">Its deadline.</param>
/// <param name="Escalation"><c>escalate</c> (督办) or <c>remind</c>.</param>
[IntegrationEvent("cases.task-overdue.v1")]
public sealed record TaskOverdueIntegrationEvent(
    Guid TaskId, string ApplicationNumber, string? MatterCode, string NodeId, string? Title, string Department,
    string? ClaimedBy, DateTimeOffset? DueAt, string Escalation) : IntegrationEvent;

/// <summary>
/// A task was put in a work list (<see cref="AssignedTo"/> null: the department's queue, or the applicant's own task
/// when <see cref="Department"/> is <c>applicant</c>) or handed to a caseworker (reassignment).
/// </summary>
/// <param name="TaskId">The task.</param>
/// <param name="ApplicationId">Its application.</param>
/// <param name="ApplicationNumber">The application's number.</param>
/// <param name="ApplicationName">The matter's, bundle's or policy's name.</param>
/// <param name="ApplicantUscc">The applicant.</param>
/// <param name="Title">The step's title.</param>
/// <param name="Department">The department that holds it, or <c>applicant</c>.</param>
/// <param name="AssignedTo">The caseworker it was handed to, on a reassignment.</param>
/// <param name="AssignedToName">Their name.</param>
/// <param name="DueAt">Its deadline, if the step has a time limit.</param>
[IntegrationEvent("cases.task-assigned.v1")]
public sealed record TaskAssignedIntegrationEvent(
    Guid TaskId, Guid ApplicationId, string ApplicationNumber, string ApplicationName, string? ApplicantUscc, string? Title,
    string Department, string? AssignedTo, string? AssignedToName, DateTimeOffset? DueAt) : IntegrationEvent;

/// <summary>A task was completed by a person or cancelled because the case moved on.</summary>
/// <param name="TaskId">The task.</param>
/// <param name="ApplicationNumber">Its application.</param>
/// <param name="Completed">True when completed; false when cancelled.</param>
/// <param name="ClosedAt">When.</param>
[IntegrationEvent("cases.task-closed.v1")]
public sealed record TaskClosedIntegrationEvent(Guid TaskId, string ApplicationNumber, bool Completed, DateTimeOffset ClosedAt) : IntegrationEvent;
