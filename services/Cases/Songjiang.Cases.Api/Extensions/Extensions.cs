using Songjiang.Cases.Api.Clients;
using Songjiang.Cases.Api.Features;
using Songjiang.Cases.Api.Infrastructure;
using Songjiang.Cases.Api.Ratings;
using Songjiang.Cases.Api.IntegrationEvents.EventHandling;
using Songjiang.Cases.Api.IntegrationEvents.Events;
using Songjiang.Cases.Api.Storage;
using Songjiang.Cases.Api.CaseFlow;
using Songjiang.EventBus;
using Songjiang.Persistence;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Hosting;
using Songjiang.Workflows;

namespace Songjiang.Cases.Api.Extensions;

/// <summary>The cases service's registrations and endpoints.</summary>
public static class Extensions
{
    /// <summary>Registers the service's dependencies.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<CasesDbContext>("cases");
        builder.AddWorkflows<CasesDbContext>();
        builder.Services.AddScoped<IWorkflowEventPublisher, TaskEscalations>();
        builder.Services.AddScoped<IWorkflowListener, CaseProjection>();
        builder.Services.AddScoped<IDatabaseSeeder<CasesDbContext>, WorkflowDefinitionsSeeder>();
        builder.Services.AddScoped<IDatabaseSeeder<CasesDbContext>, LegacyRatingMigration>();
        builder.Services.AddScoped<ApplicationSubmission>();
        builder.Services.AddScoped<RatingDesk>();
        builder.Services.AddScoped<RatingStatisticsReader>();

        builder.Services.AddOptions<MaterialOptions>().BindConfiguration(MaterialOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var materialStore = builder.Configuration.GetSection(MaterialOptions.SectionName).Get<MaterialOptions>()?.Store
            ?? (builder.Configuration.GetValue<DatabaseProvider>("Database:Provider") == DatabaseProvider.Postgres
                ? MaterialStoreKind.Database : MaterialStoreKind.FileSystem);
        if (materialStore == MaterialStoreKind.Database)
        {
            builder.Services.AddSingleton<IMaterialStore, DatabaseMaterialStore>();
        }
        else
        {
            builder.Services.AddSingleton<IMaterialStore, FileSystemMaterialStore>();
        }

        builder.Services.AddHttpClient<CatalogClient>(http => http.BaseAddress = new Uri("http://catalog"));
        builder.Services.AddHttpClient<EnterprisesClient>(http => http.BaseAddress = new Uri("http://enterprises")).AddServiceAccountToken();
        builder.Services.AddHttpClient<LicencesClient>(http => http.BaseAddress = new Uri("http://licenses")).AddServiceAccountToken();
        builder.Services.AddStaffDirectory();

        builder.AddEventBus()
            .UseOutbox<CasesDbContext>()
            .UseInbox<CasesDbContext>()
            .AddSubscription<BenefitOfferedIntegrationEvent, BenefitOfferedHandler>()
            .AddSubscription<LicenceIssuedIntegrationEvent, LicenceIssuedHandler>()
            .AddSubscription<EnterpriseRegisteredIntegrationEvent, EnterpriseRegisteredHandler>();
    }

    /// <summary>Maps the service's APIs under <c>/api/cases</c>.</summary>
    public static WebApplication MapCasesApi(this WebApplication app)
    {
        app.MapServiceInfoApi("cases");
        app.MapApplicationsApi();
        app.MapForwardingApi();
        app.MapWorkflowGraphApi();
        app.MapUploadsApi();
        app.MapTasksApi();
        app.MapTaskHandoversApi();
        app.MapAuditApi();
        app.MapWorkflowAdminApi();
        app.MapMetricsApi();
        app.MapBenefitMetricsApi();
        app.MapRatingsApi();
        app.MapEventBusAdminEndpoints("/api/cases");
        return app;
    }
}
