namespace Songjiang.Cases.Api.Domain;

/// <summary>
/// A step of an application another G60 city handles (收受分离), as the exchange reported it from that city's
/// platform: forwarded, accepted there, 补正 asked, the applicant's answer sent on, approved or rejected. Shown on the
/// applicant's timeline with the city's name.
/// </summary>
public sealed class ForwardingStep
{
    /// <summary>Id.</summary>
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>The application.</summary>
    public Guid ApplicationId { get; init; }

    /// <summary>The reporter's key for the step (unique per application): a report sent again is recognised and not applied twice.</summary>
    public required string Key { get; init; }

    /// <summary>forwarded, accepted, correction-requested, resubmitted, approved, rejected or refused.</summary>
    public required string Event { get; init; }

    /// <summary>The step as the applicant reads it, e.g. 已转嘉兴市办理.</summary>
    public required string Title { get; init; }

    /// <summary>What the city said: the materials asked for, the reason, the licence numbers.</summary>
    public string? Detail { get; init; }

    /// <summary>The city (division code).</summary>
    public required string City { get; init; }

    /// <summary>When.</summary>
    public DateTimeOffset At { get; init; }
}
