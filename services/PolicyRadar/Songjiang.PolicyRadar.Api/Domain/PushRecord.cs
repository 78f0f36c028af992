namespace Songjiang.PolicyRadar.Api.Domain;

/// <summary>
/// What was pushed to an enterprise about a policy version: at most one row per enterprise, policy version and kind,
/// so a re-match, a redelivered event or a restarted sync never pushes twice.
/// </summary>
public sealed class PushRecord
{
    /// <summary>A policy the enterprise became eligible for.</summary>
    public const string MatchKind = "match";

    /// <summary>A published policy that fits one of the enterprise's subscriptions.</summary>
    public const string SubscriptionKind = "subscription";

    /// <summary>The enterprise.</summary>
    public required string Uscc { get; init; }

    /// <summary>The policy.</summary>
    public Guid PolicyId { get; init; }

    /// <summary>The version.</summary>
    public int PolicyVersion { get; init; }

    /// <summary><see cref="MatchKind"/> or <see cref="SubscriptionKind"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>Title of the version, for the history.</summary>
    public required string PolicyTitle { get; init; }

    /// <summary>The event published.</summary>
    public Guid EventId { get; init; }

    /// <summary>For 免申即享, the benefit offer sent to the cases service.</summary>
    public Guid? OfferId { get; init; }

    /// <summary>Why, in plain Chinese.</summary>
    public List<string> Reasons { get; init; } = [];

    /// <summary>When.</summary>
    public DateTimeOffset PushedAt { get; init; }
}

/// <summary>An enterprise's subscription to topics and keywords: new policies that fit are pushed to it.</summary>
public sealed class Subscription
{
    /// <summary>Id.</summary>
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>The enterprise.</summary>
    public required string Uscc { get; init; }

    /// <summary>Tags: industries, enterprise kinds, topics or levels (e.g. 人工智能, 高新技术企业, 研发, G60).</summary>
    public List<string> Topics { get; init; } = [];

    /// <summary>Words searched in title, text and tags (Chinese analysed, e.g. 集成电路 流片).</summary>
    public List<string> Keywords { get; init; } = [];

    /// <summary>Who created it.</summary>
    public required string CreatedBy { get; init; }

    /// <summary>When.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>Progress of the initial sync of enterprise profiles, so a restart resumes where it stopped.</summary>
public sealed class SyncState
{
    /// <summary>The source, <c>enterprises</c>.</summary>
    public required string Source { get; init; }

    /// <summary>The last USCC read (keyset cursor).</summary>
    public string? Cursor { get; set; }

    /// <summary>Whether a full pass finished.</summary>
    public bool Completed { get; set; }

    /// <summary>Profiles read in the current pass.</summary>
    public int Read { get; set; }

    /// <summary>Profiles applied (newer than the read model) in the current pass.</summary>
    public int Applied { get; set; }

    /// <summary>When the pass started.</summary>
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>When it finished.</summary>
    public DateTimeOffset? CompletedAt { get; set; }
}
