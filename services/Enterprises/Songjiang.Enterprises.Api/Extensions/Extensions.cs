using Songjiang.ServiceDefaults.Authentication;
using Songjiang.Enterprises.Api.Clients;
using Songjiang.Enterprises.Api.Features;
using Songjiang.Enterprises.Api.Infrastructure;
using Songjiang.Enterprises.Api.IntegrationEvents.EventHandling;
using Songjiang.Enterprises.Api.IntegrationEvents.Events;
using Songjiang.EventBus;
using Songjiang.Persistence;
using Songjiang.ServiceDefaults.Hosting;

namespace Songjiang.Enterprises.Api.Extensions;

/// <summary>The enterprises service's registrations and endpoints.</summary>
public static class Extensions
{
    /// <summary>Registers the service's dependencies.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<EnterprisesDbContext>("enterprises");
        builder.Services.AddScoped<ProfileJournal>();
        builder.Services.AddScoped<EnterpriseLifecycle>();
        builder.Services.AddScoped<CreditCodeRegister>();
        builder.Services.AddScoped<CreditLedger>();
        builder.Services.AddSingleton<Recommendations>();
        builder.Services.AddSingleton<RecommendationRulesCheck>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RecommendationRulesCheck>());
        builder.Services.AddHealthChecks().AddCheck<RecommendationRulesCheck>("recommendation-rules", tags: [Songjiang.ServiceDefaults.Health.HealthEndpoints.ReadyTag]);
        builder.Services.AddMemoryCache();
        builder.Services.AddHttpClient<CatalogClient>(http => http.BaseAddress = new Uri("http://catalog"));
        builder.Services.AddStaffDirectory();
        builder.AddEventBus()
            .UseOutbox<EnterprisesDbContext>()
            .UseInbox<EnterprisesDbContext>()
            .AddSubscription<ApplicationSubmittedIntegrationEvent, LifecycleEventHandlers>()
            .AddSubscription<ApplicationApprovedV2IntegrationEvent, LifecycleEventHandlers>()
            .AddSubscription<ApplicationRejectedIntegrationEvent, LifecycleEventHandlers>()
            .AddSubscription<LicenceIssuedIntegrationEvent, LifecycleEventHandlers>()
            .AddSubscription<LicenceStatusChangedIntegrationEvent, LifecycleEventHandlers>()
            .AddSubscription<ApplicationSubmittedIntegrationEvent, ApplicationTrackingHandlers>()
            .AddSubscription<ApplicationAcceptedIntegrationEvent, ApplicationTrackingHandlers>()
            .AddSubscription<ApplicationCorrectionRequestedIntegrationEvent, ApplicationTrackingHandlers>()
            .AddSubscription<ApplicationResubmittedIntegrationEvent, ApplicationTrackingHandlers>()
            .AddSubscription<ApplicationApprovedIntegrationEvent, ApplicationTrackingHandlers>()
            .AddSubscription<ApplicationRejectedIntegrationEvent, ApplicationTrackingHandlers>()
            .AddSubscription<ApplicationCompletedIntegrationEvent, ApplicationTrackingHandlers>()
            .AddSubscription<CommitmentBrokenIntegrationEvent, CommitmentBrokenHandler>();
        if (builder.Configuration.GetValue<bool>("Enterprises:DemoData"))
        {
            builder.Services.AddScoped<IDatabaseSeeder<EnterprisesDbContext>, DemoEnterpriseSeeder>();
        }
    }

    /// <summary>Maps the service's APIs under <c>/api/enterprises</c>.</summary>
    public static WebApplication MapEnterprisesApi(this WebApplication app)
    {
        app.MapServiceInfoApi("enterprises");
        app.MapEnterprisesProfileApi();
        app.MapCreditApi();
        app.MapAccountManagerApi();
        app.MapManagedApplicationsApi();
        app.MapRecommendationsApi();
        app.MapReadModelFeedApi();
        app.MapEventBusAdminEndpoints("/api/enterprises");
        return app;
    }
}
