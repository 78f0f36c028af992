using System.ComponentModel.DataAnnotations;

namespace Songjiang.EventBus;

/// <summary>Settings of the outbox relay (<c>EventBus:Outbox</c>).</summary>
public sealed class OutboxOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "EventBus:Outbox";

    /// <summary>Events claimed and published together; their confirms are awaited concurrently.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>
    /// Batches one relay works on at the same time: while one batch waits for the broker's confirms, another is claimed
    /// or marked sent. Each claims its own rows, as replicas do, so events are never published twice for it.
    /// </summary>
    [Range(1, 16)]
    public int Workers { get; set; } = 2;

    /// <summary>How often the relay looks for events saved by other replicas, in explicit transactions, or before a crash.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a claimed batch belongs to one relay; longer than a batch takes to publish.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LockDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long sent events are kept for inspection before they are deleted.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan SentRetention { get; set; } = TimeSpan.FromDays(7);
}
