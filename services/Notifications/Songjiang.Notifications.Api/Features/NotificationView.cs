using Songjiang.ServiceDefaults.Time;
using Songjiang.Notifications.Api.Application;
using Songjiang.Notifications.Api.Domain;

namespace Songjiang.Notifications.Api.Features;

/// <summary>A message as its recipient sees it; times in China time (+08:00).</summary>
/// <param name="Id">Id, for marking it read.</param>
/// <param name="Sequence">Stream position (the SSE event id).</param>
/// <param name="Category">What it is about.</param>
/// <param name="CategoryName">The category in Chinese.</param>
/// <param name="Title">Title.</param>
/// <param name="Body">What happened and what to do next.</param>
/// <param name="Link">Where to act.</param>
/// <param name="Subject">The application, licence or policy it is about.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="CreatedAt">When the message was written.</param>
/// <param name="Read">Whether it was read.</param>
/// <param name="ReadAt">When.</param>
public sealed record NotificationView(
    Guid Id, long Sequence, NotificationCategory Category, string CategoryName, string Title, string Body, string? Link, string? Subject,
    DateTimeOffset OccurredAt, DateTimeOffset CreatedAt, bool Read, DateTimeOffset? ReadAt)
{
    /// <summary>The view of a stored message.</summary>
    public static NotificationView Of(Notification n) => new(
        n.Id, n.Sequence, n.Category, NotificationCategories.DisplayName(n.Category), n.Title, n.Body, n.Link, n.Subject,
        ChinaTime.Of(n.OccurredAt), ChinaTime.Of(n.CreatedAt), n.ReadAt is not null, n.ReadAt is { } at ? ChinaTime.Of(at) : null);
}

/// <summary>How many messages are unread.</summary>
/// <param name="Unread">The count.</param>
public sealed record UnreadCount(int Unread);

/// <summary>How many messages a mark-all-read marked.</summary>
/// <param name="Marked">The count.</param>
public sealed record MarkedCount(int Marked);

/// <summary>An inbox's preferences as sent and returned.</summary>
/// <param name="MutedCategories">Categories that produce no message (those with a deadline or decision cannot be muted).</param>
/// <param name="Email">Copy messages by e-mail.</param>
/// <param name="Sms">Copy messages by SMS.</param>
/// <param name="EmailAddress">The address for e-mail.</param>
/// <param name="MobileNumber">The mobile number for SMS.</param>
public sealed record PreferencesView(
    IReadOnlyList<string>? MutedCategories, bool Email, bool Sms, string? EmailAddress, string? MobileNumber);
