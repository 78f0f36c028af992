namespace Songjiang.Notifications.Api.Domain;

/// <summary>
/// A deadline to remind of on the working day before it: a correction (补正) or a task. One row per thing; a
/// later event that settles it (resubmission, a decision) cancels it, and a sent reminder is never sent again.
/// </summary>
public sealed class Reminder
{
    /// <summary>The thing reminded of: <c>task:{id}</c>.</summary>
    public required string Key { get; init; }

    /// <summary>The inbox reminded.</summary>
    public required string Recipient { get; set; }

    /// <summary>The application it belongs to.</summary>
    public required string ApplicationNumber { get; init; }

    /// <summary>The matter's name.</summary>
    public string? ApplicationName { get; init; }

    /// <summary>What is due (the step's title).</summary>
    public string? What { get; init; }

    /// <summary>Where to act.</summary>
    public string? Link { get; init; }

    /// <summary>Whether the applicant (not a caseworker) must act.</summary>
    public bool ForApplicant { get; init; }

    /// <summary>The deadline.</summary>
    public DateTimeOffset DueAt { get; init; }

    /// <summary>When to remind: the start of the working day before the deadline's last day (China time).</summary>
    public DateTimeOffset RemindAt { get; init; }

    /// <summary>When the thing it reminds of last changed hands, by the publisher's clock.</summary>
    public DateTimeOffset OpenedAt { get; set; }

    /// <summary>Sent, or settled and not to be sent.</summary>
    public DateTimeOffset? DoneAt { get; set; }

    /// <summary>Why it is done: <c>sent</c> or <c>settled</c>.</summary>
    public string? Outcome { get; set; }
}
