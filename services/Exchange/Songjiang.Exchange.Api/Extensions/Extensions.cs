using Songjiang.Exchange.Api.Infrastructure;
using Songjiang.EventBus;
using Songjiang.Persistence;
using Songjiang.ServiceDefaults.Hosting;

namespace Songjiang.Exchange.Api.Extensions;

/// <summary>The exchange service's registrations and endpoints.</summary>
public static class Extensions
{
    /// <summary>Registers the service's dependencies.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<ExchangeDbContext>("exchange");
        builder.AddEventBus();
    }

    /// <summary>Maps the service's APIs under <c>/api/exchange</c>.</summary>
    public static WebApplication MapExchangeApi(this WebApplication app)
    {
        app.MapServiceInfoApi("exchange");
        app.MapEventBusAdminEndpoints("/api/exchange");
        return app;
    }
}
