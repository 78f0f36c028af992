using Songjiang.EventBus;
using Songjiang.Notifications.Api.Application;
using Songjiang.Notifications.Api.Domain;
using Songjiang.Notifications.Api.IntegrationEvents.Events;

namespace Songjiang.Notifications.Api.IntegrationEvents.EventHandling;

/// <summary>
/// 政策找人, 免申即享 and subscription messages for enterprises. A policy match respects the enterprise's topic
/// subscriptions as the event reports them: an enterprise that subscribed to topics hears of matches in those topics.
/// </summary>
public sealed partial class PolicyRadarEventHandlers(Inbox inbox, ILogger<PolicyRadarEventHandlers> logger) :
    IIntegrationEventHandler<PolicyMatchedIntegrationEvent>,
    IIntegrationEventHandler<BenefitOfferedIntegrationEvent>,
    IIntegrationEventHandler<SubscriptionMatchedIntegrationEvent>
{
    /// <inheritdoc />
    public async Task Handle(PolicyMatchedIntegrationEvent evt, CancellationToken ct)
    {
        if (!WithinSubscriptions(evt))
        {
            LogOutsideSubscriptions(evt.Uscc, evt.PolicyId, evt.PolicyVersion, evt.Id);
            return;
        }
        await inbox.DeliverAsync(Messages.PolicyMatched(evt), [Recipients.Enterprise(evt.Uscc)], ct);
    }

    /// <inheritdoc />
    public Task Handle(BenefitOfferedIntegrationEvent evt, CancellationToken ct) =>
        inbox.DeliverAsync(Messages.BenefitOffered(evt), [Recipients.Enterprise(evt.Uscc)], ct);

    /// <inheritdoc />
    public Task Handle(SubscriptionMatchedIntegrationEvent evt, CancellationToken ct) =>
        inbox.DeliverAsync(Messages.SubscriptionMatched(evt), [Recipients.Enterprise(evt.Uscc)], ct);

    /// <summary>No topic subscriptions: every match. Topic subscriptions: matches whose policy carries one of those tags.</summary>
    public static bool WithinSubscriptions(PolicyMatchedIntegrationEvent evt) =>
        evt.SubscribedTopics is not { Count: > 0 } subscribed ||
        (evt.Tags ?? []).Intersect(subscribed, StringComparer.OrdinalIgnoreCase).Any();

    [LoggerMessage(LogLevel.Information, "Policy {PolicyId} v{Version} matched {Uscc} outside its subscribed topics (event {EventId}); no message")]
    private partial void LogOutsideSubscriptions(string uscc, Guid policyId, int version, Guid eventId);
}
