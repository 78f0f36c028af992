using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Songjiang.EventBus;
using Songjiang.Exchange.Api.Domain;
using Songjiang.Exchange.Api.Extensions;
using Songjiang.Exchange.Api.Infrastructure;
using Songjiang.Exchange.Api.IntegrationEvents.Events;

namespace Songjiang.Exchange.Api.Forwarding;

/// <summary>
/// Records, inside the inbox transaction, that an application another G60 city handles is to be forwarded there, and
/// that the applicant's answer to that city's 补正 request is to be sent on. Nothing is sent here: the forwarder does
/// that outside the transaction. A redelivered event is dropped by the inbox; a second record is refused by the unique
/// case number as well.
/// </summary>
public sealed class ForwardingHandlers(
    ExchangeDbContext db, IOptions<ExchangeOptions> options, TimeProvider clock, ILogger<ForwardingHandlers> logger) :
    IIntegrationEventHandler<ApplicationSubmittedIntegrationEvent>,
    IIntegrationEventHandler<ApplicationResubmittedIntegrationEvent>
{
    /// <inheritdoc />
    public async Task Handle(ApplicationSubmittedIntegrationEvent evt, CancellationToken ct)
    {
        if (evt.HandledByCity is not { Length: > 0 } city || city == options.Value.CityCode || evt.MatterCode is null)
        {
            return;
        }
        if (await db.Forwards.AnyAsync(f => f.CaseNumber == evt.ApplicationNumber, ct))
        {
            return;
        }
        var now = clock.GetUtcNow();
        db.Forwards.Add(new ForwardedApplication
        {
            CaseNumber = evt.ApplicationNumber, City = city, MatterCode = evt.MatterCode, NextAttemptAt = now, CreatedAt = now,
        });
        logger.LogInformation("Case {Number} ({Matter}) is handled by city {City}: forward recorded", evt.ApplicationNumber, evt.MatterCode, city);
    }

    /// <inheritdoc />
    public async Task Handle(ApplicationResubmittedIntegrationEvent evt, CancellationToken ct)
    {
        var forward = await db.Forwards.FirstOrDefaultAsync(f => f.CaseNumber == evt.ApplicationNumber, ct);
        if (forward is null)
        {
            return;
        }
        forward.ResubmissionPending = true;
        forward.Attempts = 0;
        forward.NextAttemptAt = clock.GetUtcNow();
        logger.LogInformation("Case {Number}: the applicant's correction is to be sent to city {City}", evt.ApplicationNumber, forward.City);
    }
}
