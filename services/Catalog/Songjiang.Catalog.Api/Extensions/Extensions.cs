using Songjiang.Catalog.Api.Features;
using Songjiang.Catalog.Api.Infrastructure;
using Songjiang.EventBus;
using Songjiang.Persistence;
using Songjiang.ServiceDefaults.Hosting;

namespace Songjiang.Catalog.Api.Extensions;

/// <summary>The catalog service's registrations and endpoints.</summary>
public static class Extensions
{
    /// <summary>Registers the service's dependencies.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<CatalogDbContext>("catalog");
        builder.AddEventBus();
        builder.Services.AddScoped<IDatabaseSeeder<CatalogDbContext>, CatalogSeeder>();
    }

    /// <summary>Maps the service's APIs under <c>/api/catalog</c>.</summary>
    public static WebApplication MapCatalogApi(this WebApplication app)
    {
        app.MapServiceInfoApi("catalog");
        app.MapEventBusAdminEndpoints("/api/catalog");
        app.MapMattersApi();
        app.MapBundlesApi();
        return app;
    }
}
