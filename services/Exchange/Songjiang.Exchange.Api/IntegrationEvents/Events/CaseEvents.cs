using Songjiang.EventBus;

namespace Songjiang.Exchange.Api.IntegrationEvents.Events;

// The exchange's copies of the cases service's events (docs/cases.md): only the fields a status webhook needs.
// The cases service owns the contract and may add fields freely.

/// <summary>A status event of a case: its number among the case's status events restores their order across topics.</summary>
public abstract record CaseStatusEvent(string ApplicationNumber, string? Channel) : IntegrationEvent
{
    /// <summary>The status event's place among the case's status events, from 1 (0 from a publisher that does not number them).</summary>
    public int StatusSequence { get; init; }
}

/// <summary>The window accepted the application (受理).</summary>
[IntegrationEvent("cases.application-accepted.v1")]
public sealed record ApplicationAcceptedIntegrationEvent(string ApplicationNumber, string? Channel) : CaseStatusEvent(ApplicationNumber, Channel);

/// <summary>The applicant must correct materials (补正).</summary>
[IntegrationEvent("cases.application-correction-requested.v1")]
public sealed record ApplicationCorrectionRequestedIntegrationEvent(
    string ApplicationNumber, string? Channel, IReadOnlyList<string>? Materials, string? Note, IReadOnlyList<string>? MaterialNames = null)
    : CaseStatusEvent(ApplicationNumber, Channel);

/// <summary>The applicant resubmitted.</summary>
[IntegrationEvent("cases.application-resubmitted.v1")]
public sealed record ApplicationResubmittedIntegrationEvent(string ApplicationNumber, string? Channel) : CaseStatusEvent(ApplicationNumber, Channel);

/// <summary>The application was approved.</summary>
[IntegrationEvent("cases.application-approved.v2")]
public sealed record ApplicationApprovedIntegrationEvent(string ApplicationNumber, string? Channel) : CaseStatusEvent(ApplicationNumber, Channel);

/// <summary>The application was rejected.</summary>
[IntegrationEvent("cases.application-rejected.v1")]
public sealed record ApplicationRejectedIntegrationEvent(string ApplicationNumber, string? Channel, string? Reason) : CaseStatusEvent(ApplicationNumber, Channel);

/// <summary>Handling finished (办结).</summary>
[IntegrationEvent("cases.application-completed.v1")]
public sealed record ApplicationCompletedIntegrationEvent(string ApplicationNumber, string? Channel, string? Outcome) : CaseStatusEvent(ApplicationNumber, Channel);

/// <summary>An application was submitted; the exchange forwards one another G60 city handles (收受分离).</summary>
[IntegrationEvent("cases.application-submitted.v1")]
public sealed record ApplicationSubmittedIntegrationEvent(string ApplicationNumber, string? MatterCode, string? Channel) : IntegrationEvent
{
    /// <summary>The G60 city whose authority handles it, or null when this platform's city does.</summary>
    public string? HandledByCity { get; init; }
}
