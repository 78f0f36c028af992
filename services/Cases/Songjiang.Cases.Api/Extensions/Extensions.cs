using Songjiang.Cases.Api.Infrastructure;
using Songjiang.EventBus;
using Songjiang.Persistence;
using Songjiang.ServiceDefaults.Hosting;

namespace Songjiang.Cases.Api.Extensions;

/// <summary>The cases service's registrations and endpoints.</summary>
public static class Extensions
{
    /// <summary>Registers the service's dependencies.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<CasesDbContext>("cases");
        builder.AddEventBus();
    }

    /// <summary>Maps the service's APIs under <c>/api/cases</c>.</summary>
    public static WebApplication MapCasesApi(this WebApplication app)
    {
        app.MapServiceInfoApi("cases");
        app.MapEventBusAdminEndpoints("/api/cases");
        return app;
    }
}
