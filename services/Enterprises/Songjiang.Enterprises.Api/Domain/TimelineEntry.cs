namespace Songjiang.Enterprises.Api.Domain;

/// <summary>One thing that happened to an enterprise: the audit trail of every change, who made it and what changed.</summary>
public sealed class TimelineEntry
{
    /// <summary>Id.</summary>
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>The enterprise.</summary>
    public required string Uscc { get; init; }

    /// <summary>When.</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>Who: a user id, or the event that caused it.</summary>
    public required string Actor { get; init; }

    /// <summary>Who, as people read it: the person's name, or the application or system that caused it.</summary>
    public string? ActorName { get; init; }

    /// <summary>What kind of change, e.g. <c>profile-updated</c>.</summary>
    public required string Action { get; init; }

    /// <summary>A sentence for people.</summary>
    public required string Summary { get; init; }

    /// <summary>Changed fields as JSON <c>{"field": {"from": …, "to": …}}</c>, when fields changed.</summary>
    public string? Changes { get; init; }
}
