using Microsoft.Extensions.DependencyInjection;

namespace Songjiang.EventBus;

/// <summary>Continues the event bus registration started by <c>builder.AddEventBus()</c>.</summary>
public interface IEventBusBuilder
{
    /// <summary>The application's services, for extensions such as the EF Core outbox and inbox.</summary>
    IServiceCollection Services { get; }

    /// <summary>
    /// Subscribes this application to <typeparamref name="TEvent"/>'s topic and handles it with
    /// <typeparamref name="THandler"/> (resolved per delivery from a fresh scope).
    /// </summary>
    IEventBusBuilder AddSubscription<TEvent, THandler>()
        where TEvent : IntegrationEvent
        where THandler : class, IIntegrationEventHandler<TEvent>;
}

internal sealed class EventBusBuilder(IServiceCollection services, EventSubscriptions subscriptions) : IEventBusBuilder
{
    public IServiceCollection Services { get; } = services;

    public IEventBusBuilder AddSubscription<TEvent, THandler>()
        where TEvent : IntegrationEvent
        where THandler : class, IIntegrationEventHandler<TEvent>
    {
        subscriptions.Add<TEvent, THandler>();
        Services.AddScoped<THandler>();
        return this;
    }
}
