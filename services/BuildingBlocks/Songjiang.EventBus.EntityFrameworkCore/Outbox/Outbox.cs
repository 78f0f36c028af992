using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Songjiang.EventBus;

internal sealed class Outbox<TContext>(
    TContext db,
    OutboxHandOff<TContext> handOff,
    OutboxSignal<TContext> signal,
    IOptions<EventBusOptions> options,
    TimeProvider time) : IOutbox<TContext>
    where TContext : DbContext
{
    private readonly JsonEncodedText _source = JsonEncodedText.Encode(options.Value.AppId);

    public void Add(IntegrationEvent evt) => Add(db, evt);

    public void Add(TContext context, IntegrationEvent evt)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(evt);
        var message = Stage(context, evt);
        if (handOff.Intercepts(context))
        {
            // Handed to the relay when its transaction commits.
            handOff.Track(context, message);
            return;
        }

        // A context built without the interceptor (not from dependency injection): wake the relay once after its next
        // save and leave no handler behind; the relay's poll finds the event once it is committed.
        EventHandler<SavedChangesEventArgs>? wake = null;
        wake = (_, _) =>
        {
            context.SavedChanges -= wake;
            signal.Notify();
        };
        context.SavedChanges += wake;
    }

    private OutboxMessage Stage(DbContext context, IntegrationEvent evt)
    {
        var type = EventTypeMetadata.Of(evt.GetType());
        using var activity = EventBusDiagnostics.StartPublish(type, evt.Id.ToString());
        using var envelope = CloudEventFormat.WriteRented(evt, type, _source, activity ?? Activity.Current);

        var message = new OutboxMessage
        {
            Id = evt.Id,
            Topic = type.Topic,
            Envelope = Encoding.UTF8.GetString(envelope.Span),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        context.Set<OutboxMessage>().Add(message);
        return message;
    }
}
