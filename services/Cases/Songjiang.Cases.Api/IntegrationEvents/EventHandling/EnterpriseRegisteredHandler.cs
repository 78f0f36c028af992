using Microsoft.EntityFrameworkCore;
using Songjiang.Cases.Api.Infrastructure;
using Songjiang.Cases.Api.IntegrationEvents.Events;
using Songjiang.EventBus;

namespace Songjiang.Cases.Api.IntegrationEvents.EventHandling;

/// <summary>
/// Records the unified social credit code the enterprise register assigned to the enterprise an application
/// established, so the applicant sees its new company's code on the application.
/// </summary>
public sealed class EnterpriseRegisteredHandler(CasesDbContext db, ILogger<EnterpriseRegisteredHandler> logger)
    : IIntegrationEventHandler<EnterpriseRegisteredIntegrationEvent>
{
    /// <inheritdoc />
    public async Task Handle(EnterpriseRegisteredIntegrationEvent evt, CancellationToken ct)
    {
        var application = await db.Applications.FirstOrDefaultAsync(a => a.Number == evt.ApplicationNumber, ct);
        if (application is null)
        {
            logger.LogDebug("Enterprise {Uscc} was registered on application {Number}, which is not ours (event {EventId})", evt.Uscc, evt.ApplicationNumber, evt.Id);
            return;
        }
        application.AssignedUscc ??= evt.Uscc;
        logger.LogInformation("Application {Number} established {Name} ({Uscc}) (event {EventId})", application.Number, evt.Name, evt.Uscc, evt.Id);
    }
}
