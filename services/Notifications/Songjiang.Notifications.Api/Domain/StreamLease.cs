namespace Songjiang.Notifications.Api.Domain;

/// <summary>
/// One open event stream, wherever it is served: the per-user stream limit is counted over these rows, so it holds
/// across replicas. The replica serving a stream renews its rows while they are open and removes them when they end;
/// a row another replica marks evicted is closed by its own replica at its next poll.
/// </summary>
public sealed class StreamLease
{
    /// <summary>The stream.</summary>
    public required Guid Id { get; init; }

    /// <summary>The user holding it (the token's subject).</summary>
    public required string UserId { get; init; }

    /// <summary>The replica serving it (an id the replica draws at start).</summary>
    public required Guid ReplicaId { get; init; }

    /// <summary>When it opened.</summary>
    public DateTimeOffset OpenedAt { get; init; }

    /// <summary>When its replica last confirmed it open; a row not renewed for a while belongs to a replica that died.</summary>
    public DateTimeOffset SeenAt { get; set; }

    /// <summary>When a newer stream of the same user pushed it over the limit; its replica then closes it.</summary>
    public DateTimeOffset? EvictedAt { get; set; }
}
