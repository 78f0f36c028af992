namespace Songjiang.Enterprises.Api.Domain;

/// <summary>Where an application stands, as the cases service's events tell it.</summary>
public enum ApplicationStatus
{
    /// <summary>Submitted, not yet accepted (已提交).</summary>
    Submitted,

    /// <summary>Accepted and under review (已受理).</summary>
    Accepted,

    /// <summary>Waiting for the applicant to correct materials (待补正).</summary>
    CorrectionRequested,

    /// <summary>Corrected and back under review (已补正).</summary>
    Resubmitted,

    /// <summary>Approved, the result not yet delivered (已批准).</summary>
    Approved,

    /// <summary>Rejected (不予许可).</summary>
    Rejected,

    /// <summary>Closed (办结); <see cref="TrackedApplication.Outcome"/> says how.</summary>
    Completed,
}

/// <summary>
/// An enterprise's application as account managers (店小二) follow it: a projection of the cases service's events,
/// keyed by application id, holding the state of the latest event by event time.
/// </summary>
public sealed class TrackedApplication
{
    /// <summary>Statuses of an application still in progress.</summary>
    public static readonly IReadOnlyList<ApplicationStatus> OpenStatuses =
        [ApplicationStatus.Submitted, ApplicationStatus.Accepted, ApplicationStatus.CorrectionRequested, ApplicationStatus.Resubmitted];

    /// <summary>The cases service's id of the application.</summary>
    public Guid ApplicationId { get; init; }

    /// <summary>The application number (办件编号).</summary>
    public required string Number { get; set; }

    /// <summary>The parent's number for a child of a bundle (一件事); null otherwise.</summary>
    public string? ParentNumber { get; set; }

    /// <summary>The matter; null for a bundle parent.</summary>
    public string? MatterCode { get; set; }

    /// <summary>The bundle, on a bundle parent and its children.</summary>
    public string? BundleCode { get; set; }

    /// <summary>The matter's or bundle's name.</summary>
    public string? Name { get; set; }

    /// <summary>The applicant enterprise; the view joins it with the enterprises a manager manages.</summary>
    public string? ApplicantUscc { get; set; }

    /// <summary>The status after the latest event.</summary>
    public ApplicationStatus Status { get; set; }

    /// <summary>For a completed application: approved, rejected, withdrawn or completed.</summary>
    public string? Outcome { get; set; }

    /// <summary>The statutory due time, once accepted.</summary>
    public DateTimeOffset? DueAt { get; set; }

    /// <summary>The time of the latest event applied.</summary>
    public DateTimeOffset LastChangedAt { get; set; }

    /// <summary>Changes with every update, so two concurrent updates cannot both win.</summary>
    public Guid Version { get; set; } = Guid.NewGuid();

    /// <summary>Whether the application is still in progress.</summary>
    public bool IsOpen => OpenStatuses.Contains(Status);

    /// <summary>
    /// Whether an event of this status at this time is newer than what is held: later event time wins; at the
    /// same time the later step of the lifecycle wins, so the result never depends on arrival order.
    /// </summary>
    public bool IsOlderThan(ApplicationStatus status, DateTimeOffset at) =>
        at > LastChangedAt || (at == LastChangedAt && status > Status);
}

/// <summary>That an application's broken commitment has been entered in the credit records: one record per application.</summary>
public sealed class CommitmentBreach
{
    /// <summary>The application whose commitment was broken.</summary>
    public Guid ApplicationId { get; init; }

    /// <summary>The enterprise.</summary>
    public required string Uscc { get; init; }

    /// <summary>The credit record entered for it.</summary>
    public Guid CreditRecordId { get; init; }

    /// <summary>When it was recorded.</summary>
    public DateTimeOffset RecordedAt { get; init; }
}
