namespace Songjiang.EventBus;

/// <summary>An event saved with the change that caused it, waiting to be published.</summary>
internal sealed class OutboxMessage
{
    public Guid Id { get; init; }

    public required string Topic { get; init; }

    /// <summary>The CloudEvents JSON, formatted when the event was added so it carries the caller's trace context.</summary>
    public required string Envelope { get; init; }

    /// <summary>UTC. <see cref="DateTime"/> rather than <see cref="DateTimeOffset"/> because SQLite cannot order by the latter.</summary>
    public DateTime CreatedAt { get; init; }

    public DateTime? SentAt { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    /// <summary>A relay owns the row until then; after a crash another relay takes it over once this passes.</summary>
    public DateTime? LockedUntil { get; set; }

    public string? LockOwner { get; set; }
}
