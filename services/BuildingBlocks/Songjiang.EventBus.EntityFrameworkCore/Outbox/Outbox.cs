using System.Diagnostics;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Songjiang.EventBus;

internal sealed class Outbox<TContext>(
    TContext db,
    OutboxSignal<TContext> signal,
    IOptions<EventBusOptions> options,
    TimeProvider time) : IOutbox<TContext>, IDisposable
    where TContext : DbContext
{
    private EventHandler<SavedChangesEventArgs>? _wakeRelay;

    public void Add(IntegrationEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var topic = IntegrationEventAttribute.TopicOf(evt.GetType());
        using var activity = EventBus.StartPublish(topic, evt);
        var current = activity ?? Activity.Current;
        var envelope = CloudEventFormat.Write(evt, topic, options.Value.AppId, CloudEventFormat.TraceParentOf(current), current?.TraceStateString);

        db.Set<OutboxMessage>().Add(new OutboxMessage
        {
            Id = evt.Id,
            Topic = topic,
            Envelope = Encoding.UTF8.GetString(envelope),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        });

        if (_wakeRelay is null)
        {
            // Publish right after the save instead of at the next poll. Inside an explicit transaction the rows are not
            // visible yet at this point; the relay's poll picks them up after the commit.
            _wakeRelay = (_, _) => signal.Notify();
            db.SavedChanges += _wakeRelay;
        }
    }

    /// <summary>Unsubscribes at the end of the scope: a pooled DbContext outlives it and would keep every handler.</summary>
    public void Dispose()
    {
        if (_wakeRelay is not null)
        {
            db.SavedChanges -= _wakeRelay;
        }
    }
}
