using Microsoft.EntityFrameworkCore;
using Songjiang.EventBus;
using Songjiang.Identity.Api.Infrastructure;
using Songjiang.Identity.Api.IntegrationEvents.Events;
using Songjiang.ServiceDefaults.Authentication;

namespace Songjiang.Identity.Api.IntegrationEvents.EventHandling;

/// <summary>
/// Links the person who registered a company (企业开办) to it, so that their next token carries its credit code
/// (<c>acts_for</c>) and they can act for the new company and read its licences. Idempotent: a redelivery finds the
/// link already there.
/// </summary>
public sealed class EnterpriseRegisteredHandler(IdentityDbContext db, ILogger<EnterpriseRegisteredHandler> logger)
    : IIntegrationEventHandler<EnterpriseRegisteredIntegrationEvent>
{
    /// <inheritdoc />
    public async Task Handle(EnterpriseRegisteredIntegrationEvent evt, CancellationToken ct)
    {
        var user = Guid.TryParse(evt.Registrant, out var id) ? await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct) : null;
        if (user is null)
        {
            // Filed at a window or by a partner system: nobody here to link (event {EventId}).
            logger.LogInformation("Enterprise {Uscc} registered on application {Number} by {Registrant}, who has no account here (event {EventId})",
                evt.Uscc, evt.ApplicationNumber, evt.Registrant, evt.Id);
            return;
        }
        var uscc = evt.Uscc.ToUpperInvariant();
        if (!user.ActsFor.Contains(uscc, StringComparer.Ordinal) && !string.Equals(user.Uscc, uscc, StringComparison.Ordinal))
        {
            user.ActsFor = [.. user.ActsFor, uscc];
        }
        if (!user.Roles.Contains(PlatformRoles.Enterprise, StringComparer.Ordinal))
        {
            user.Roles = [.. user.Roles, PlatformRoles.Enterprise];
        }
        if (user.Uscc is null)
        {
            user.Uscc = uscc;
            user.EnterpriseName = evt.Name;
        }
        logger.LogInformation("User {UserId} may now act for {Name} ({Uscc}), registered on application {Number} (event {EventId})",
            user.Id, evt.Name, uscc, evt.ApplicationNumber, evt.Id);
    }
}
