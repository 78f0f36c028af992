using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Songjiang.Notifications.Api.Application;
using Songjiang.Notifications.Api.Domain;
using Songjiang.Notifications.Api.Infrastructure;
using System.Security.Cryptography;
using System.Text;

namespace Songjiang.Notifications.Api.Reminders;

/// <summary>
/// Sends each due reminder once: the reminder row is marked sent by a conditional update and the message written in
/// the same transaction, so two replicas or a crash between the two never send it twice or lose it.
/// </summary>
public sealed partial class ReminderClock(
    IServiceScopeFactory scopes, IOptions<NotificationsOptions> options, TimeProvider clock, ILogger<ReminderClock> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SendDueAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(ex);
            }
            try
            {
                await Task.Delay(options.Value.DispatchInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Sends the reminders due now; returns how many it sent.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var now = clock.GetUtcNow();
        var due = await db.Reminders.AsNoTracking()
            .Where(r => r.DoneAt == null && r.RemindAt <= now).OrderBy(r => r.RemindAt).Take(100).ToListAsync(cancellationToken);
        var sent = 0;
        foreach (var reminder in due)
        {
            await using var inner = scope.ServiceProvider.CreateAsyncScope();
            if (await SendOneAsync(inner.ServiceProvider, reminder, now, cancellationToken))
            {
                sent++;
            }
        }
        return sent;
    }

    private async Task<bool> SendOneAsync(IServiceProvider services, Reminder reminder, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<NotificationsDbContext>();
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // Past its deadline (the service was down): too late to remind; 督办 takes over.
            var outcome = reminder.DueAt <= now ? "expired" : "sent";
            var claimed = await db.Reminders.Where(r => r.Key == reminder.Key && r.DoneAt == null)
                .ExecuteUpdateAsync(set => set.SetProperty(r => r.DoneAt, now).SetProperty(r => r.Outcome, outcome), cancellationToken);
            if (claimed == 0)
            {
                return false;
            }
            if (outcome == "sent")
            {
                var inbox = services.GetRequiredService<Inbox>();
                await inbox.DeliverAsync(Messages.Reminder(reminder, IdOf(reminder.Key), now), [reminder.Recipient], cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            LogReminded(reminder.Key, reminder.ApplicationNumber, outcome);
            return outcome == "sent";
        });
    }

    // The message's source id, derived from the reminder, so the inbox's unique key also guards against a repeat.
    private static Guid IdOf(string key) => new(SHA256.HashData(Encoding.UTF8.GetBytes("reminder:" + key)).AsSpan(0, 16));

    [LoggerMessage(LogLevel.Error, "Reminder pass failed; trying again at the next interval")]
    private partial void LogFailed(Exception ex);

    [LoggerMessage(LogLevel.Information, "Reminder {Key} of {Number}: {Outcome}")]
    private partial void LogReminded(string key, string number, string outcome);
}
