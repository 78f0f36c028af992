namespace Songjiang.Workflows;

/// <summary>Runtime settings, bound from the <c>Workflows</c> configuration section and validated on start.</summary>
public sealed class WorkflowOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Workflows";

    /// <summary>Whether this host runs the timer worker (every replica may; claims never overlap).</summary>
    public bool RunTimerWorker { get; set; } = true;

    /// <summary>How long the timer worker sleeps when no timer is due.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many due timers one claim takes.</summary>
    public int TimerBatchSize { get; set; } = 100;

    /// <summary>How many claimed timers one host fires at once (each in its own transaction).</summary>
    public int TimerConcurrency { get; set; } = 4;

    /// <summary>How long a claim holds before another host may take the timer (after a crash).</summary>
    public TimeSpan TimerLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Attempts of a command that meets a concurrency conflict or deadlock before it fails.</summary>
    public int MaxAttempts { get; set; } = 5;

    internal IEnumerable<string> Validate()
    {
        if (PollInterval <= TimeSpan.Zero) yield return "Workflows:PollInterval must be positive";
        if (TimerBatchSize is < 1 or > 10_000) yield return "Workflows:TimerBatchSize must be 1..10000";
        if (TimerConcurrency is < 1 or > 64) yield return "Workflows:TimerConcurrency must be 1..64";
        if (TimerLease <= TimeSpan.Zero) yield return "Workflows:TimerLease must be positive";
        if (MaxAttempts < 1) yield return "Workflows:MaxAttempts must be at least 1";
    }
}
