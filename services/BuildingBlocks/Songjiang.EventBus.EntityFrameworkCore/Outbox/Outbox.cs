using System.Diagnostics;
using System.Text;
using System.Text.Json;
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
    private readonly JsonEncodedText _source = JsonEncodedText.Encode(options.Value.AppId);
    private EventHandler<SavedChangesEventArgs>? _wakeRelay;

    public void Add(IntegrationEvent evt)
    {
        Stage(db, evt);
        if (_wakeRelay is null)
        {
            // Publish right after the save instead of at the next poll. Inside an explicit transaction the rows are not
            // visible yet at this point; the relay's poll picks them up after the commit.
            _wakeRelay = (_, _) => signal.Notify();
            db.SavedChanges += _wakeRelay;
        }
    }

    public void Add(TContext context, IntegrationEvent evt)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (ReferenceEquals(context, db))
        {
            Add(evt);
            return;
        }
        Stage(context, evt);
        // Another scope's context: wake the relay once after its next save and leave no handler behind.
        EventHandler<SavedChangesEventArgs>? wake = null;
        wake = (_, _) =>
        {
            context.SavedChanges -= wake;
            signal.Notify();
        };
        context.SavedChanges += wake;
    }

    private void Stage(DbContext context, IntegrationEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var type = EventTypeMetadata.Of(evt.GetType());
        using var activity = EventBusDiagnostics.StartPublish(type, evt.Id.ToString());
        using var envelope = CloudEventFormat.WriteRented(evt, type, _source, activity ?? Activity.Current);

        context.Set<OutboxMessage>().Add(new OutboxMessage
        {
            Id = evt.Id,
            Topic = type.Topic,
            Envelope = Encoding.UTF8.GetString(envelope.Span),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        });
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
