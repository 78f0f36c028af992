namespace Songjiang.Notifications.Api.Domain;

/// <summary>What a message is about; on the wire by name.</summary>
public enum NotificationCategory
{
    /// <summary>补正: the applicant must correct materials.</summary>
    CorrectionRequested,

    /// <summary>受理: the application was accepted.</summary>
    ApplicationAccepted,

    /// <summary>The application was approved.</summary>
    ApplicationApproved,

    /// <summary>The application was rejected.</summary>
    ApplicationRejected,

    /// <summary>办结: handling finished.</summary>
    ApplicationCompleted,

    /// <summary>A task was put in a work list or handed to a caseworker.</summary>
    TaskAssigned,

    /// <summary>督办: a task fell overdue.</summary>
    TaskOverdue,

    /// <summary>A deadline (correction, task) is tomorrow.</summary>
    DeadlineReminder,

    /// <summary>An electronic licence was issued.</summary>
    LicenceIssued,

    /// <summary>A licence was revoked, suspended or reinstated.</summary>
    LicenceStatusChanged,

    /// <summary>政策找人: the enterprise qualifies for a policy.</summary>
    PolicyMatched,

    /// <summary>免申即享: a benefit waits for the enterprise's confirmation.</summary>
    BenefitOffered,

    /// <summary>A new policy fits one of the enterprise's subscriptions.</summary>
    SubscriptionMatched,
}

/// <summary>Chinese names of the categories, and which ones a recipient may not mute.</summary>
public static class NotificationCategories
{
    /// <summary>Categories that carry a legal deadline or a decision; they always reach the inbox.</summary>
    public static readonly IReadOnlySet<NotificationCategory> Mandatory = new HashSet<NotificationCategory>
    {
        NotificationCategory.CorrectionRequested,
        NotificationCategory.ApplicationRejected,
        NotificationCategory.TaskOverdue,
        NotificationCategory.DeadlineReminder,
        NotificationCategory.LicenceStatusChanged,
    };

    /// <summary>The category's name as users read it.</summary>
    public static string DisplayName(NotificationCategory category) => category switch
    {
        NotificationCategory.CorrectionRequested => "补正通知",
        NotificationCategory.ApplicationAccepted => "受理通知",
        NotificationCategory.ApplicationApproved => "审批通过",
        NotificationCategory.ApplicationRejected => "审批未通过",
        NotificationCategory.ApplicationCompleted => "办结通知",
        NotificationCategory.TaskAssigned => "待办任务",
        NotificationCategory.TaskOverdue => "督办提醒",
        NotificationCategory.DeadlineReminder => "到期提醒",
        NotificationCategory.LicenceIssued => "证照签发",
        NotificationCategory.LicenceStatusChanged => "证照状态变更",
        NotificationCategory.PolicyMatched => "政策找人",
        NotificationCategory.BenefitOffered => "免申即享",
        NotificationCategory.SubscriptionMatched => "政策订阅",
        _ => category.ToString(),
    };
}

/// <summary>
/// One message in one recipient's inbox. <see cref="Sequence"/> is the stream position: handed out under a lock
/// held to commit, so positions become visible in order and a stream resumes after one without a gap.
/// </summary>
public sealed class Notification
{
    /// <summary>Id.</summary>
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>Stream position, unique and rising in commit order.</summary>
    public long Sequence { get; init; }

    /// <summary>The inbox it is in (<see cref="Recipients"/>).</summary>
    public required string Recipient { get; init; }

    /// <summary>What it is about.</summary>
    public NotificationCategory Category { get; init; }

    /// <summary>Title.</summary>
    public required string Title { get; init; }

    /// <summary>Plain Chinese text saying what happened and what to do next.</summary>
    public required string Body { get; init; }

    /// <summary>Where to act (a path under the gateway, or an absolute verification address).</summary>
    public string? Link { get; init; }

    /// <summary>The thing it is about: an application number, licence number or policy id.</summary>
    public string? Subject { get; init; }

    /// <summary>The event it came from.</summary>
    public Guid SourceEventId { get; init; }

    /// <summary>When the fact happened.</summary>
    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>When the message was written.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was read, by whom.</summary>
    public DateTimeOffset? ReadAt { get; private set; }

    /// <summary>Who read it (user id).</summary>
    public string? ReadBy { get; private set; }

    /// <summary>Marks it read once; reading again keeps the first time.</summary>
    public bool MarkRead(string userId, DateTimeOffset at)
    {
        if (ReadAt is not null)
        {
            return false;
        }
        ReadAt = at;
        ReadBy = userId;
        return true;
    }
}
