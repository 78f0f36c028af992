namespace Songjiang.Notifications.Api.Domain;

/// <summary>The channels beyond the inbox.</summary>
public enum DeliveryChannel
{
    /// <summary>E-mail over SMTP.</summary>
    Email,

    /// <summary>SMS through the provider.</summary>
    Sms,
}

/// <summary>Where a delivery stands.</summary>
public enum DeliveryStatus
{
    /// <summary>Waiting to be sent (or to be retried).</summary>
    Pending,

    /// <summary>Handed to the channel.</summary>
    Sent,

    /// <summary>Given up after the last attempt; the inbox message stands.</summary>
    Failed,
}

/// <summary>
/// One message to send through one channel: written in the same transaction as the inbox message (the channel
/// outbox), then sent by <c>ChannelDispatcher</c> with retries and a per-recipient rate limit.
/// </summary>
public sealed class ChannelDelivery
{
    /// <summary>Id.</summary>
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>The inbox message it copies.</summary>
    public Guid NotificationId { get; init; }

    /// <summary>Channel.</summary>
    public DeliveryChannel Channel { get; init; }

    /// <summary>E-mail address or mobile number.</summary>
    public required string Address { get; init; }

    /// <summary>Subject line.</summary>
    public required string Subject { get; init; }

    /// <summary>Text.</summary>
    public required string Body { get; init; }

    /// <summary>Status.</summary>
    public DeliveryStatus Status { get; set; }

    /// <summary>Attempts made.</summary>
    public int Attempts { get; set; }

    /// <summary>Not before this time.</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>A worker holds it until then.</summary>
    public DateTimeOffset? ClaimedUntil { get; set; }

    /// <summary>The last failure.</summary>
    public string? LastError { get; set; }

    /// <summary>When it was written.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was sent.</summary>
    public DateTimeOffset? SentAt { get; set; }
}

/// <summary>A text message the embedded SMS provider keeps for the operator to read (短信发件箱).</summary>
public sealed class SmsOutboxEntry
{
    /// <summary>Id.</summary>
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>The delivery it carries.</summary>
    public Guid DeliveryId { get; init; }

    /// <summary>Mobile number.</summary>
    public required string MobileNumber { get; init; }

    /// <summary>Text, with the platform's signature.</summary>
    public required string Text { get; init; }

    /// <summary>When it was written.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}
