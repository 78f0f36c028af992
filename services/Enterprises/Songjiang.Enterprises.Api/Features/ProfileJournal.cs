using Songjiang.Enterprises.Api.Domain;
using Songjiang.Enterprises.Api.Infrastructure;
using Songjiang.Enterprises.Api.IntegrationEvents.Events;
using Songjiang.EventBus;

namespace Songjiang.Enterprises.Api.Features;

/// <summary>
/// How every change to a profile is recorded: a new version, a timeline entry naming actor and change, and — when
/// the change matters to other services — the profile-changed event, all in the caller's unit of work.
/// </summary>
public sealed class ProfileJournal(EnterprisesDbContext db, IOutbox<EnterprisesDbContext> outbox, TimeProvider clock)
{
    /// <summary>Records a change; pass <paramref name="publishedFields"/> to publish it.</summary>
    public void Record(
        Enterprise enterprise, string actor, string action, string summary,
        IEnumerable<string>? publishedFields = null, string? changes = null)
    {
        var now = clock.GetUtcNow();
        enterprise.UpdatedAt = now;
        enterprise.Version = Guid.NewGuid();
        db.Timeline.Add(new TimelineEntry
        {
            Uscc = enterprise.Uscc, At = now, Actor = actor, Action = action, Summary = summary, Changes = changes,
        });
        if (publishedFields is not null)
        {
            outbox.Add(EnterpriseProfileChangedIntegrationEvent.For(enterprise, action, publishedFields));
        }
    }
}
