using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Songjiang.Exchange.Api.Domain;
using Songjiang.Exchange.Api.Extensions;
using Songjiang.Exchange.Api.Infrastructure;

namespace Songjiang.Exchange.Api.Forwarding;

/// <summary>
/// Files recorded forwards at the cities that handle them and sends applicants' corrections there, outside any
/// transaction: a failure (the city's platform down, the cases service busy) is retried with exponential back-off
/// (<c>Exchange:WebhookFirstDelay</c> doubled up to <c>Exchange:WebhookMaxDelay</c>), and the last error is kept on
/// the forward. Replicas claim a forward by moving its next attempt forward with a conditional update.
/// </summary>
public sealed class ApplicationForwarder(
    IServiceScopeFactory scopes, IOptions<ExchangeOptions> options, TimeProvider clock, ILogger<ApplicationForwarder> logger) : BackgroundService
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var attempted = 0;
            try
            {
                attempted = await ForwardDueAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Forwarding applications failed; retrying shortly");
            }
            if (attempted == 0)
            {
                await Task.Delay(options.Value.WebhookPollInterval, clock, stoppingToken);
            }
        }
    }

    /// <summary>Forwards what is due now; returns how many were attempted.</summary>
    public async Task<int> ForwardDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ExchangeDbContext>();
        var now = clock.GetUtcNow();
        var due = await db.Forwards.AsNoTracking()
            .Where(f => (f.State == ForwardStates.Pending
                || (f.State == ForwardStates.Filed && (f.ResubmissionPending || f.PendingLicences != null))) && f.NextAttemptAt <= now)
            .OrderBy(f => f.NextAttemptAt).Take(20).ToListAsync(cancellationToken);
        var attempted = 0;
        foreach (var candidate in due)
        {
            var claimedUntil = now + Lease;
            var claimed = await db.Forwards
                .Where(f => f.Id == candidate.Id && f.NextAttemptAt == candidate.NextAttemptAt)
                .ExecuteUpdateAsync(u => u.SetProperty(f => f.NextAttemptAt, claimedUntil), cancellationToken);
            if (claimed == 0)
            {
                continue;
            }
            attempted++;
            await AttemptAsync(candidate.Id, cancellationToken);
        }
        return attempted;
    }

    private async Task AttemptAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ExchangeDbContext>();
        var forwarding = scope.ServiceProvider.GetRequiredService<ApplicationForwarding>();
        var forward = await db.Forwards.FirstAsync(f => f.Id == id, cancellationToken);
        string error;
        try
        {
            await forwarding.ProcessAsync(forward, cancellationToken);
            return;
        }
        catch (ForwardingFailedException failed)
        {
            error = failed.Message;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            error = "转办暂时失败：" + exception.Message;
            logger.LogWarning(exception, "Forwarding case {Number} to city {City} failed", forward.CaseNumber, forward.City);
        }
        var settings = options.Value;
        var attempts = forward.Attempts + 1;
        var delay = TimeSpan.FromTicks(Math.Min(settings.WebhookMaxDelay.Ticks, settings.WebhookFirstDelay.Ticks * (1L << Math.Min(attempts - 1, 30))));
        var next = clock.GetUtcNow() + delay;
        var message = error.Length > 1000 ? error[..1000] : error;
        await db.Forwards.Where(f => f.Id == id).ExecuteUpdateAsync(u => u
            .SetProperty(f => f.Attempts, attempts).SetProperty(f => f.NextAttemptAt, next).SetProperty(f => f.LastError, message), CancellationToken.None);
        logger.LogInformation("Forwarding case {Number} to city {City} failed ({Error}); next attempt {Next}", forward.CaseNumber, forward.City, error, next);
    }
}
