using System.ComponentModel.DataAnnotations;

namespace Songjiang.Notifications.Api.Application;

/// <summary>Settings of the notification service (section <c>Notifications</c>).</summary>
public sealed class NotificationsOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Notifications";

    /// <summary>The gateway's public address, for links in e-mails and SMS.</summary>
    [Required]
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:8080";

    /// <summary>Open streams one user may hold across all replicas (a few browser tabs); a new stream beyond it closes that user's oldest.</summary>
    [Range(1, 20)]
    public int MaxStreamsPerUser { get; set; } = 5;

    /// <summary>How often a replica looks for new messages for its open streams.</summary>
    public TimeSpan StreamPollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often an idle stream gets a comment line, so proxies keep it open.</summary>
    public TimeSpan StreamHeartbeat { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Attempts per channel delivery before it is marked failed.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The wait before the first retry; it doubles with each attempt.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Messages one address receives per <see cref="RateWindow"/> and channel; more wait for the next window.</summary>
    [Range(1, 1000)]
    public int RateLimit { get; set; } = 5;

    /// <summary>The rate limit's window.</summary>
    public TimeSpan RateWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the channel dispatcher and the reminder clock look for work.</summary>
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>E-mail over SMTP; e-mail is off while <see cref="SmtpOptions.Host"/> is empty.</summary>
    public SmtpOptions Smtp { get; set; } = new();
}

/// <summary>The SMTP relay the platform sends e-mail through.</summary>
public sealed class SmtpOptions
{
    /// <summary>Host name; empty turns e-mail off.</summary>
    public string? Host { get; set; }

    /// <summary>Port.</summary>
    public int Port { get; set; } = 587;

    /// <summary><c>None</c>, <c>StartTls</c>, <c>SslOnConnect</c> or <c>Auto</c> (MailKit's SecureSocketOptions).</summary>
    public string Security { get; set; } = "StartTls";

    /// <summary>User name, when the relay wants one.</summary>
    public string? UserName { get; set; }

    /// <summary>Password.</summary>
    public string? Password { get; set; }

    /// <summary>Sender address.</summary>
    public string FromAddress { get; set; } = "noreply@songjiang.gov.cn";

    /// <summary>Sender name.</summary>
    public string FromName { get; set; } = "松江区一网通办";
}
