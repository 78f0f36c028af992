using Microsoft.EntityFrameworkCore;
using Songjiang.Cases.Api.Domain;
using Songjiang.Cases.Api.Infrastructure;
using Songjiang.Cases.Api.IntegrationEvents.Events;
using Songjiang.EventBus;

namespace Songjiang.Cases.Api.IntegrationEvents.EventHandling;

/// <summary>
/// Records the electronic licence issued on an application as its result (办理结果), so the applicant sees what it
/// received; licences issued outside an application are not the cases service's concern.
/// </summary>
public sealed class LicenceIssuedHandler(CasesDbContext db, ILogger<LicenceIssuedHandler> logger) : IIntegrationEventHandler<LicenceIssuedIntegrationEvent>
{
    /// <inheritdoc />
    public async Task Handle(LicenceIssuedIntegrationEvent evt, CancellationToken ct)
    {
        if (evt.ApplicationNumber is null)
        {
            return;
        }
        var application = await db.Applications.FirstOrDefaultAsync(a => a.Number == evt.ApplicationNumber, ct);
        if (application is null)
        {
            logger.LogDebug("Licence {Licence} names application {Number}, which is not ours", evt.LicenceNumber, evt.ApplicationNumber);
            return;
        }
        if (application.Results.Any(r => r.LicenceNumber == evt.LicenceNumber))
        {
            return;
        }
        application.Results.Add(new ApplicationResult
        {
            LicenceNumber = evt.LicenceNumber, TypeCode = evt.TypeCode, ValidFrom = evt.ValidFrom, ValidUntil = evt.ValidUntil,
        });
        logger.LogInformation("Application {Number} resulted in licence {Licence}", application.Number, evt.LicenceNumber);
    }
}
