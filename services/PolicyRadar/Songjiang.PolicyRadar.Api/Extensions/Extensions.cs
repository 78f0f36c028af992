using Songjiang.PolicyRadar.Api.Clients;
using Microsoft.Extensions.Options;
using Songjiang.EventBus;
using Songjiang.Persistence;
using Songjiang.PolicyRadar.Api.Application;
using Songjiang.PolicyRadar.Api.Features;
using Songjiang.PolicyRadar.Api.Infrastructure;
using Songjiang.PolicyRadar.Api.IntegrationEvents.EventHandling;
using Songjiang.PolicyRadar.Api.IntegrationEvents.Events;
using Songjiang.PolicyRadar.Api.Matching;
using Songjiang.PolicyRadar.Api.Search;
using Songjiang.PolicyRadar.Api.Sync;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Hosting;
using System.Security.Claims;

namespace Songjiang.PolicyRadar.Api.Extensions;

/// <summary>The policyradar service's registrations and endpoints.</summary>
public static class Extensions
{
    /// <summary>Registers the service's dependencies.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<PolicyRadarDbContext>("policyradar");
        builder.Services.AddOptions<PolicyRadarOptions>().BindConfiguration(PolicyRadarOptions.SectionName)
            .PostConfigure(options => options.OfficerDepartments = options.OfficerDepartments.Length > 0
                ? options.OfficerDepartments
                : PolicyRadarOptions.DefaultOfficerDepartments)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped(services => new RadarCaller(
            services.GetRequiredService<IHttpContextAccessor>().HttpContext?.User ?? new ClaimsPrincipal(),
            services.GetRequiredService<IOptions<PolicyRadarOptions>>().Value));

        // Matching and search live in memory, filled from the database at start and kept current.
        builder.Services.AddSingleton<MatchingEngine>();
        builder.Services.AddSingleton<PolicySearchIndex>();
        builder.Services.AddSingleton<RadarMetrics>();
        builder.Services.AddHostedService<RadarLoader>();

        builder.Services.AddScoped<PolicyWorkflow>();
        builder.Services.AddScoped<PolicyPushes>();
        builder.Services.AddScoped<EnterpriseReadModel>();
        if (builder.Configuration.GetValue($"{PolicyRadarOptions.SectionName}:SeedPolicies", true))
        {
            builder.Services.AddScoped<IDatabaseSeeder<PolicyRadarDbContext>, PolicySeeder>();
        }

        // The initial sync reads every profile from the enterprise service as the platform service account.
        builder.Services.AddHttpClient<EnterprisesFeedClient>(http => http.BaseAddress = new Uri("http://enterprises")).AddServiceAccountToken();
        builder.Services.AddSingleton<EnterpriseSync>();
        builder.Services.AddHostedService(services => services.GetRequiredService<EnterpriseSync>());

        builder.AddEventBus()
            .UseOutbox<PolicyRadarDbContext>()
            .UseInbox<PolicyRadarDbContext>()
            .AddSubscription<EnterpriseProfileChangedIntegrationEvent, RadarEventHandlers>()
            .AddSubscription<PolicyPublishedIntegrationEvent, RadarEventHandlers>();
    }

    /// <summary>Maps the service's APIs under <c>/api/policyradar</c>.</summary>
    public static WebApplication MapPolicyRadarApi(this WebApplication app)
    {
        app.MapServiceInfoApi("policyradar");
        app.MapEventBusAdminEndpoints("/api/policyradar");
        app.MapCriteriaApi();
        app.MapPoliciesApi();
        app.MapPolicyManagementApi();
        app.MapPolicyPreviewApi();
        app.MapPushMetricsApi();
        app.MapMatchesApi();
        app.MapSubscriptionsApi();
        app.MapRadarAdminApi();
        return app;
    }
}
