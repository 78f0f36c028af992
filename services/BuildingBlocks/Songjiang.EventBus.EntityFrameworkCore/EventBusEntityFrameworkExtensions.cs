using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Songjiang.EventBus;

/// <summary>Adds the EF Core outbox and inbox to the event bus of a service.</summary>
public static class EventBusEntityFrameworkExtensions
{
    /// <summary>
    /// Lets the service stage events in <typeparamref name="TContext"/> through <see cref="IOutbox{TContext}"/> and runs
    /// the relay that publishes them after commit. Settings: <c>EventBus:Outbox</c> (<see cref="OutboxOptions"/>).
    /// </summary>
    public static IEventBusBuilder UseOutbox<TContext>(this IEventBusBuilder builder)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<OutboxSignal<TContext>>();
        if (!services.Any(s => s.ServiceType == typeof(OutboxHandOff<TContext>)))
        {
            // Every TContext the container builds hands its committed events to the relay.
            services.AddSingleton<OutboxHandOff<TContext>>();
            services.ConfigureDbContext<TContext>((provider, options) => options.AddInterceptors(provider.GetRequiredService<OutboxHandOff<TContext>>()));
        }

        services.TryAddScoped<IOutbox<TContext>, Outbox<TContext>>();
        services.AddHostedService<OutboxRelay<TContext>>();
        return builder;
    }

    /// <summary>
    /// Runs every handler of this service inside a <typeparamref name="TContext"/> transaction that records the event
    /// id, so a redelivered event has its effect once. Handlers should write through the same scoped
    /// <typeparamref name="TContext"/> for their changes to share that transaction.
    /// </summary>
    public static IEventBusBuilder UseInbox<TContext>(this IEventBusBuilder builder)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IHandlerInvoker, InboxHandlerInvoker<TContext>>());
        return builder;
    }
}
