using Songjiang.EventBus;
using Songjiang.Notifications.Api.Application;
using Songjiang.Notifications.Api.Channels;
using Songjiang.Notifications.Api.Features;
using Songjiang.Notifications.Api.Infrastructure;
using Songjiang.Notifications.Api.IntegrationEvents.EventHandling;
using Songjiang.Notifications.Api.IntegrationEvents.Events;
using Songjiang.Notifications.Api.Reminders;
using Songjiang.Notifications.Api.Streaming;
using Songjiang.Persistence;
using Songjiang.ServiceDefaults.Hosting;

namespace Songjiang.Notifications.Api.Extensions;

/// <summary>The notification service's registrations and endpoints.</summary>
public static class Extensions
{
    /// <summary>Registers the service's dependencies.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<NotificationsDbContext>("notifications");
        builder.Services.ConfigureDbContext<NotificationsDbContext>(options => options.AddInterceptors(StreamPositions.Instance));
        builder.Services.AddOptions<NotificationsOptions>().BindConfiguration(NotificationsOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<Inbox>();
        builder.Services.AddScoped<ReminderBook>();
        builder.Services.AddScoped<ISmsProvider, DatabaseSmsProvider>();
        builder.Services.AddScoped<IChannelSender, EmailSender>();
        builder.Services.AddScoped<IChannelSender, SmsSender>();
        builder.Services.AddSingleton<StreamHub>();
        builder.Services.AddHostedService(services => services.GetRequiredService<StreamHub>());
        builder.Services.AddSingleton<ChannelDispatcher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ChannelDispatcher>());
        builder.Services.AddSingleton<ReminderClock>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ReminderClock>());
        builder.AddEventBus()
            .UseInbox<NotificationsDbContext>()
            .AddSubscription<ApplicationCorrectionRequestedIntegrationEvent, CaseEventHandlers>()
            .AddSubscription<ApplicationAcceptedIntegrationEvent, CaseEventHandlers>()
            .AddSubscription<ApplicationResubmittedIntegrationEvent, CaseEventHandlers>()
            .AddSubscription<ApplicationApprovedIntegrationEvent, CaseEventHandlers>()
            .AddSubscription<ApplicationRejectedIntegrationEvent, CaseEventHandlers>()
            .AddSubscription<ApplicationCompletedIntegrationEvent, CaseEventHandlers>()
            .AddSubscription<TaskAssignedIntegrationEvent, TaskEventHandlers>()
            .AddSubscription<TaskClosedIntegrationEvent, TaskEventHandlers>()
            .AddSubscription<TaskOverdueIntegrationEvent, TaskEventHandlers>()
            .AddSubscription<LicenceIssuedIntegrationEvent, LicenceEventHandlers>()
            .AddSubscription<LicenceStatusChangedIntegrationEvent, LicenceEventHandlers>()
            .AddSubscription<PolicyMatchedIntegrationEvent, PolicyRadarEventHandlers>()
            .AddSubscription<BenefitOfferedIntegrationEvent, PolicyRadarEventHandlers>()
            .AddSubscription<SubscriptionMatchedIntegrationEvent, PolicyRadarEventHandlers>();
    }

    /// <summary>Maps the service's APIs under <c>/api/notifications</c>.</summary>
    public static WebApplication MapNotificationsApi(this WebApplication app)
    {
        app.MapServiceInfoApi("notifications");
        app.MapStreamApi();
        app.MapPreferencesApi();
        app.MapInboxApi();
        app.MapEventBusAdminEndpoints("/api/notifications");
        return app;
    }
}
