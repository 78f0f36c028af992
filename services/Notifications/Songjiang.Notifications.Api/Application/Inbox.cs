using Microsoft.EntityFrameworkCore;
using Songjiang.Notifications.Api.Domain;
using Songjiang.Notifications.Api.Infrastructure;
using Songjiang.Notifications.Api.Streaming;

namespace Songjiang.Notifications.Api.Application;

/// <summary>A message to put in one or more inboxes.</summary>
/// <param name="Category">What it is about.</param>
/// <param name="Title">Title.</param>
/// <param name="Body">What happened and what to do next.</param>
/// <param name="Link">Where to act.</param>
/// <param name="Subject">The application, licence or policy.</param>
/// <param name="SourceEventId">The event it comes from (or the reminder's derived id).</param>
/// <param name="OccurredAt">When the fact happened.</param>
public sealed record NewMessage(
    NotificationCategory Category, string Title, string Body, string? Link, string? Subject, Guid SourceEventId, DateTimeOffset OccurredAt);

/// <summary>
/// Writes messages into inboxes in the caller's unit of work (the event inbox's transaction): honours muted
/// categories, saves messages for <see cref="StreamPositions"/> to number at the commit, and stages the e-mail and SMS
/// copies the recipient chose in the channel outbox.
/// </summary>
public sealed partial class Inbox(NotificationsDbContext db, TimeProvider clock, ILogger<Inbox> logger)
{
    /// <summary>Writes the message to each recipient once and saves; returns how many inboxes got it.</summary>
    public async Task<int> DeliverAsync(NewMessage message, IEnumerable<string> recipients, CancellationToken cancellationToken)
    {
        var keys = recipients.Distinct(StringComparer.Ordinal).ToList();
        if (keys.Count == 0)
        {
            return 0;
        }
        var preferences = await db.Preferences.AsNoTracking().Where(p => keys.Contains(p.Recipient)).ToDictionaryAsync(p => p.Recipient, cancellationToken);
        var already = await db.Notifications.AsNoTracking()
            .Where(n => n.SourceEventId == message.SourceEventId && keys.Contains(n.Recipient)).Select(n => n.Recipient).ToListAsync(cancellationToken);
        var targets = keys.Where(k => !already.Contains(k))
            .Where(k => !preferences.TryGetValue(k, out var p) || NotificationCategories.Mandatory.Contains(message.Category) || !p.MutedCategories.Contains(message.Category))
            .ToList();
        if (targets.Count == 0)
        {
            LogNothingToWrite(message.Category, message.SourceEventId);
            await db.SaveChangesAsync(cancellationToken);
            return 0;
        }

        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Messages are written in the caller's transaction: their stream positions are given at its commit.");
        }
        var now = clock.GetUtcNow();
        // Numbered at the commit (StreamPositions): a position taken here would lock the counter for the rest of the
        // handler, and every other writer would wait that long.
        var positions = StreamPositions.Provisional(targets.Count);
        db.StagedMessages = true;
        for (var i = 0; i < targets.Count; i++)
        {
            var recipient = targets[i];
            var notification = new Notification
            {
                Sequence = positions[i], Recipient = recipient, Category = message.Category, Title = message.Title, Body = message.Body,
                Link = message.Link, Subject = message.Subject, SourceEventId = message.SourceEventId, OccurredAt = message.OccurredAt,
                CreatedAt = now,
            };
            db.Notifications.Add(notification);
            if (preferences.TryGetValue(recipient, out var preference))
            {
                StageChannels(notification, preference, now);
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        LogWritten(message.Category, message.SourceEventId, targets.Count);
        return targets.Count;
    }

    private void StageChannels(Notification notification, Preference preference, DateTimeOffset now)
    {
        if (preference.Email && !string.IsNullOrEmpty(preference.EmailAddress))
        {
            db.Deliveries.Add(new ChannelDelivery
            {
                NotificationId = notification.Id, Channel = DeliveryChannel.Email, Address = preference.EmailAddress,
                Subject = notification.Title, Body = notification.Body, Status = DeliveryStatus.Pending, NextAttemptAt = now, CreatedAt = now,
            });
        }
        if (preference.Sms && !string.IsNullOrEmpty(preference.MobileNumber))
        {
            db.Deliveries.Add(new ChannelDelivery
            {
                NotificationId = notification.Id, Channel = DeliveryChannel.Sms, Address = preference.MobileNumber,
                Subject = notification.Title, Body = notification.Title + "：" + notification.Body, Status = DeliveryStatus.Pending,
                NextAttemptAt = now, CreatedAt = now,
            });
        }
    }

    [LoggerMessage(LogLevel.Information, "{Category} from event {EventId}: every inbox has it already or muted it")]
    private partial void LogNothingToWrite(NotificationCategory category, Guid eventId);

    [LoggerMessage(LogLevel.Information, "{Category} from event {EventId} written to {Count} inboxes")]
    private partial void LogWritten(NotificationCategory category, Guid eventId, int count);
}
