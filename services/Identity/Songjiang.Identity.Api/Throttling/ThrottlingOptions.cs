using System.ComponentModel.DataAnnotations;

namespace Songjiang.Identity.Api.Throttling;

/// <summary>Limits on failed sign-ins and token requests (section <c>Identity:Throttling</c>).</summary>
public sealed class ThrottlingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Identity:Throttling";

    /// <summary>Wrong passwords for one account (login page and password grant): 5 in 15 minutes lock it for 15 minutes.</summary>
    [Required]
    public ThrottleRule Accounts { get; set; } = new() { Failures = 5, Window = TimeSpan.FromMinutes(15), Lockout = TimeSpan.FromMinutes(15) };

    /// <summary>Failed token requests naming one client (wrong secret, bad grant).</summary>
    [Required]
    public ThrottleRule Clients { get; set; } = new() { Failures = 20, Window = TimeSpan.FromMinutes(15), Lockout = TimeSpan.FromMinutes(15) };

    /// <summary>Failed token requests from one source address, whichever client they name.</summary>
    [Required]
    public ThrottleRule Addresses { get; set; } = new() { Failures = 50, Window = TimeSpan.FromMinutes(15), Lockout = TimeSpan.FromMinutes(15) };
}

/// <summary><see cref="Failures"/> failures within <see cref="Window"/> lock the subject for <see cref="Lockout"/>.</summary>
public sealed class ThrottleRule
{
    /// <summary>Failures that lock.</summary>
    [Range(1, 1_000_000)]
    public int Failures { get; set; }

    /// <summary>The window the failures are counted in.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; }

    /// <summary>How long the lock lasts.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Lockout { get; set; }
}
