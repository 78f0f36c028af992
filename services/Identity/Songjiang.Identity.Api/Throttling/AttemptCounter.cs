namespace Songjiang.Identity.Api.Throttling;

/// <summary>
/// Failed attempts of one kind by one subject (an account name, a client id, a source address) within a window, and
/// the lock they earned. Kept in the database so that every replica counts the same attempts and a restart forgets
/// nothing.
/// </summary>
public sealed class AttemptCounter
{
    /// <summary>What is counted: <c>account:</c>, <c>client:</c> or <c>address:</c> followed by the subject.</summary>
    public required string Key { get; set; }

    /// <summary>When the current window began (its first failure).</summary>
    public DateTimeOffset WindowStart { get; set; }

    /// <summary>Failures in the current window.</summary>
    public int Failures { get; set; }

    /// <summary>Attempts are refused until then.</summary>
    public DateTimeOffset? LockedUntil { get; set; }
}
