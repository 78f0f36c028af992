using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Songjiang.Notifications.Api.Application;
using Songjiang.Notifications.Api.Domain;
using Songjiang.Notifications.Api.Infrastructure;

namespace Songjiang.Notifications.Api.Channels;

/// <summary>
/// Sends the channel outbox: claims due deliveries (a conditional update, so two replicas never send one twice),
/// holds back an address over its rate limit until its window frees up, retries failures with doubling waits and
/// marks a delivery failed after the last attempt. The inbox message is written before and never depends on this.
/// </summary>
public sealed partial class ChannelDispatcher(
    IServiceScopeFactory scopes, IOptions<NotificationsOptions> options, TimeProvider clock, ILogger<ChannelDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(2);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DispatchDueAsync(stoppingToken) > 0)
                {
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogDispatchFailed(ex);
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

    /// <summary>Sends what is due now; returns how many deliveries it handled.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var now = clock.GetUtcNow();
        var due = await db.Deliveries.AsNoTracking()
            .Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now && (d.ClaimedUntil == null || d.ClaimedUntil < now))
            .OrderBy(d => d.NextAttemptAt).Select(d => d.Id).Take(50).ToListAsync(cancellationToken);
        var handled = 0;
        foreach (var id in due)
        {
            await using var inner = scope.ServiceProvider.CreateAsyncScope();
            if (await SendOneAsync(inner.ServiceProvider, id, cancellationToken))
            {
                handled++;
            }
        }
        return handled;
    }

    private async Task<bool> SendOneAsync(IServiceProvider services, Guid id, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<NotificationsDbContext>();
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var until = now + ClaimFor;
        var claimed = await db.Deliveries
            .Where(d => d.Id == id && d.Status == DeliveryStatus.Pending && (d.ClaimedUntil == null || d.ClaimedUntil < now))
            .ExecuteUpdateAsync(set => set.SetProperty(d => d.ClaimedUntil, until), cancellationToken);
        if (claimed == 0)
        {
            return false;
        }
        var delivery = await db.Deliveries.SingleAsync(d => d.Id == id, cancellationToken);

        var windowStart = now - settings.RateWindow;
        var recent = await db.Deliveries.AsNoTracking()
            .Where(d => d.Address == delivery.Address && d.Channel == delivery.Channel && d.Status == DeliveryStatus.Sent && d.SentAt > windowStart)
            .Select(d => d.SentAt!.Value).ToListAsync(cancellationToken);
        if (recent.Count >= settings.RateLimit)
        {
            // Not a failure: the address has had its share; it gets this one when the oldest leaves the window.
            delivery.NextAttemptAt = recent.Min() + settings.RateWindow;
            delivery.ClaimedUntil = null;
            await db.SaveChangesAsync(cancellationToken);
            LogRateLimited(delivery.Id, delivery.Channel, delivery.NextAttemptAt);
            return true;
        }

        var sender = services.GetServices<IChannelSender>().Single(s => s.Channel == delivery.Channel);
        delivery.Attempts++;
        try
        {
            await sender.SendAsync(delivery, cancellationToken);
            delivery.Status = DeliveryStatus.Sent;
            delivery.SentAt = clock.GetUtcNow();
            delivery.LastError = null;
            LogSent(delivery.Id, delivery.Channel, delivery.Attempts);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            delivery.LastError = ex.Message.Length > 500 ? ex.Message[..500] : ex.Message;
            if (delivery.Attempts >= settings.MaxAttempts)
            {
                delivery.Status = DeliveryStatus.Failed;
                LogGaveUp(delivery.Id, delivery.Channel, delivery.Attempts, ex.Message);
            }
            else
            {
                delivery.NextAttemptAt = clock.GetUtcNow() + settings.RetryDelay * Math.Pow(2, delivery.Attempts - 1);
                LogRetry(delivery.Id, delivery.Channel, delivery.Attempts, delivery.NextAttemptAt, ex.Message);
            }
        }
        delivery.ClaimedUntil = null;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    [LoggerMessage(LogLevel.Error, "Channel dispatch failed; trying again at the next interval")]
    private partial void LogDispatchFailed(Exception ex);

    [LoggerMessage(LogLevel.Information, "Delivery {Id} by {Channel} held back by the rate limit until {At}")]
    private partial void LogRateLimited(Guid id, DeliveryChannel channel, DateTimeOffset at);

    [LoggerMessage(LogLevel.Information, "Delivery {Id} sent by {Channel} (attempt {Attempt})")]
    private partial void LogSent(Guid id, DeliveryChannel channel, int attempt);

    [LoggerMessage(LogLevel.Warning, "Delivery {Id} by {Channel} failed (attempt {Attempt}); retry at {At}: {Error}")]
    private partial void LogRetry(Guid id, DeliveryChannel channel, int attempt, DateTimeOffset at, string error);

    [LoggerMessage(LogLevel.Error, "Delivery {Id} by {Channel} given up after {Attempt} attempts: {Error}")]
    private partial void LogGaveUp(Guid id, DeliveryChannel channel, int attempt, string error);
}
