using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Songjiang.EventBus;

/// <summary>Registers the event bus in a service.</summary>
public static class EventBusHostingExtensions
{
    /// <summary>The tag of the broker health check, for the readiness endpoint.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Adds <see cref="IEventBus"/>, the transport named by <c>EventBus:Transport</c> (InMemory, RabbitMQ or Dapr),
    /// its consumers, the dead-letter store, and a broker health check tagged <see cref="ReadyTag"/>. Options come from
    /// the <c>EventBus</c> section and <c>ConnectionStrings:eventbus</c>, and are validated when the host starts.
    /// </summary>
    /// <example>
    /// <code>
    /// builder.AddEventBus()
    ///     .AddSubscription&lt;ApplicationSubmittedIntegrationEvent, ApplicationSubmittedHandler&gt;();
    /// </code>
    /// </example>
    public static IEventBusBuilder AddEventBus(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var defaultAppId = AppIdFrom(builder.Environment.ApplicationName);

        services.AddOptions<EventBusOptions>()
            .BindConfiguration(EventBusOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) =>
            {
                if (configuration.GetConnectionString("eventbus") is { Length: > 0 } connectionString)
                {
                    options.RabbitMQ.ConnectionString = connectionString;
                }

                if (string.IsNullOrEmpty(options.AppId))
                {
                    options.AppId = defaultAppId;
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EventBusOptions>, EventBusOptionsValidator>());

        var subscriptions = new EventSubscriptions();
        services.AddSingleton(subscriptions);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IHandlerInvoker, DirectHandlerInvoker>();
        services.AddSingleton<EventDispatcher>();
        services.AddSingleton<RetryingDelivery>();
        services.AddSingleton<IEventBus, EventBus>();

        var transport = builder.Configuration.GetValue($"{EventBusOptions.SectionName}:Transport", EventBusTransport.InMemory);
        switch (transport)
        {
            case EventBusTransport.RabbitMQ:
                AddRabbitMq(services);
                break;
            case EventBusTransport.Dapr:
                AddDapr(services);
                break;
            default:
                AddInMemory(services);
                break;
        }

        return new EventBusBuilder(services, subscriptions);
    }

    /// <summary>"Songjiang.Cases.Api" becomes "songjiang-cases-api": a valid Dapr app id and queue name prefix.</summary>
    private static string AppIdFrom(string applicationName) =>
        System.Text.RegularExpressions.Regex.Replace(applicationName.ToLowerInvariant(), "[^a-z0-9]+", "-").Trim('-');

    private static void AddInMemory(IServiceCollection services)
    {
        services.TryAddSingleton(InMemoryBroker.Shared);
        services.AddSingleton<IEventTransport, InMemoryTransport>();
        services.AddSingleton<IDeadLetterStore, InMemoryDeadLetterStore>();
        services.AddHostedService<InMemoryConsumerService>();
    }

    private static void AddRabbitMq(IServiceCollection services)
    {
        services.AddSingleton<RabbitMqConnections>();
        services.AddSingleton<RabbitMqPublisher>();
        services.AddSingleton<IEventTransport>(sp => sp.GetRequiredService<RabbitMqPublisher>());
        services.AddSingleton<IDeadLetterStore, RabbitMqDeadLetterStore>();
        services.AddSingleton<RabbitMqConsumerService>();
        services.AddHostedService(sp => sp.GetRequiredService<RabbitMqConsumerService>());
        services.AddHealthChecks().AddCheck<RabbitMqHealthCheck>("eventbus-rabbitmq", tags: [ReadyTag]);
    }

    private static void AddDapr(IServiceCollection services)
    {
        services.AddSingleton<IPostConfigureOptions<EventBusOptions>, DaprOptionsSetup>();
        services.AddDaprClient((sp, client) =>
        {
            var dapr = sp.GetRequiredService<IOptions<EventBusOptions>>().Value.Dapr;
            client.UseHttpEndpoint(dapr.HttpEndpoint!.ToString()).UseGrpcEndpoint(dapr.GrpcEndpoint!.ToString());
            if (dapr.ApiToken is { Length: > 0 } token)
            {
                client.UseDaprApiToken(token);
            }
        });
        services.AddSingleton<IEventTransport, DaprPublisher>();
        services.AddSingleton<DeadLetterList>();
        services.AddSingleton<DaprSubscriber>();
        services.AddSingleton<IDeadLetterStore, DaprDeadLetterStore>();
        services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, DaprStartupFilter>();
        services.AddHealthChecks().AddCheck<DaprHealthCheck>("eventbus-dapr", tags: [ReadyTag]);
    }
}
