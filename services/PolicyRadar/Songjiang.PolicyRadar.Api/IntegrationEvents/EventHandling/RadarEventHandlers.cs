using Songjiang.EventBus;
using Songjiang.PolicyRadar.Api.Application;
using Songjiang.PolicyRadar.Api.Infrastructure;
using Songjiang.PolicyRadar.Api.IntegrationEvents.Events;
using Songjiang.PolicyRadar.Api.Matching;

namespace Songjiang.PolicyRadar.Api.IntegrationEvents.EventHandling;

/// <summary>
/// Keeps the read model and pushes current, inside the inbox transaction: a redelivered event is skipped by the inbox,
/// and the push ledger makes a re-match push nothing twice.
/// </summary>
public sealed partial class RadarEventHandlers(
    PolicyRadarDbContext db,
    EnterpriseReadModel readModel,
    PolicyPushes pushes,
    MatchingEngine engine,
    ILogger<RadarEventHandlers> logger) :
    IIntegrationEventHandler<EnterpriseProfileChangedIntegrationEvent>,
    IIntegrationEventHandler<PolicyPublishedIntegrationEvent>
{
    /// <summary>A profile changed: apply it if newer than the one held, and re-match that enterprise.</summary>
    public async Task Handle(EnterpriseProfileChangedIntegrationEvent evt, CancellationToken ct)
    {
        await engine.Ready.WaitAsync(ct);
        var applied = await readModel.ApplyAsync([new EnterpriseReadModel.Incoming(evt.Uscc, evt.Profile, evt.OccurredAt)], ct);
        await db.SaveChangesAsync(ct);
        LogProfileChanged(evt.Uscc, evt.Change, evt.Id, applied > 0);
    }

    /// <summary>A policy version was published (by this service): re-match every enterprise against it.</summary>
    public async Task Handle(PolicyPublishedIntegrationEvent evt, CancellationToken ct)
    {
        await engine.Ready.WaitAsync(ct);
        LogPolicyPublished(evt.PolicyId, evt.Version, evt.Id);
        await pushes.PolicyPublishedAsync(evt.PolicyId, evt.Version, ct);
        await db.SaveChangesAsync(ct);
    }

    [LoggerMessage(LogLevel.Information, "Profile of {Uscc} changed ({Change}, event {EventId}); applied: {Applied}")]
    private partial void LogProfileChanged(string uscc, string change, Guid eventId, bool applied);

    [LoggerMessage(LogLevel.Information, "Policy {PolicyId} v{Version} published (event {EventId}); re-matching every enterprise")]
    private partial void LogPolicyPublished(Guid policyId, int version, Guid eventId);
}
