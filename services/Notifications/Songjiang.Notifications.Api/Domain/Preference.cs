namespace Songjiang.Notifications.Api.Domain;

/// <summary>An inbox's choices: muted categories and the channels beyond the inbox, with their addresses.</summary>
public sealed class Preference
{
    /// <summary>The inbox (<see cref="Recipients"/>).</summary>
    public required string Recipient { get; init; }

    /// <summary>Categories that produce no message.</summary>
    public List<NotificationCategory> MutedCategories { get; set; } = [];

    /// <summary>Send each message by e-mail too.</summary>
    public bool Email { get; set; }

    /// <summary>Send each message by SMS too.</summary>
    public bool Sms { get; set; }

    /// <summary>The e-mail address.</summary>
    public string? EmailAddress { get; set; }

    /// <summary>The mobile number.</summary>
    public string? MobileNumber { get; set; }

    /// <summary>Who changed it last.</summary>
    public string? UpdatedBy { get; set; }

    /// <summary>When.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}
