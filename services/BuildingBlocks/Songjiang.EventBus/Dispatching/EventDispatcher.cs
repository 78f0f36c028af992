using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Songjiang.EventBus;

/// <summary>Turns a received envelope into the typed event and runs every handler subscribed to its topic, once.</summary>
internal sealed class EventDispatcher(
    EventSubscriptions subscriptions,
    IServiceScopeFactory scopes,
    IHandlerInvoker invoker,
    IOptions<EventBusOptions> options)
{
    private readonly string _appId = options.Value.AppId;

    /// <exception cref="InvalidEnvelopeException">The topic is not subscribed or the data does not fit the event type.</exception>
    public async Task DispatchAsync(string topic, ReceivedCloudEvent envelope, CancellationToken ct)
    {
        var subscription = subscriptions.Find(topic)
            ?? throw new InvalidEnvelopeException($"No handler is subscribed to '{topic}'.");
        var evt = Deserialize(subscription, envelope);

        using var activity = EventBusDiagnostics.StartProcess(subscription.Metadata, envelope);
        foreach (var handler in subscription.Handlers)
        {
            // A fresh scope per handler: a failed handler's tracked changes never leak into the next one or a retry.
            await using var scope = scopes.CreateAsyncScope();
            await invoker.InvokeAsync(new HandlerInvocation(scope.ServiceProvider, evt, handler.ConsumerName(_appId), handler, envelope.Source, envelope.Id), ct);
        }
    }

    private static IntegrationEvent Deserialize(EventSubscription subscription, ReceivedCloudEvent envelope)
    {
        try
        {
            // Straight from the delivered bytes, with the contract resolved once per type.
            return JsonSerializer.Deserialize(envelope.Data.Span, subscription.Metadata.Contract) as IntegrationEvent
                ?? throw new InvalidEnvelopeException($"The data of event {envelope.Id} is null.");
        }
        catch (JsonException ex)
        {
            throw new InvalidEnvelopeException($"The data of event {envelope.Id} does not fit {subscription.EventType.Name}.", ex);
        }
    }
}
