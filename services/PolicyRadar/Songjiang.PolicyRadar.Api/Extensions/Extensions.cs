using Songjiang.PolicyRadar.Api.Infrastructure;
using Songjiang.EventBus;
using Songjiang.PolicyRadar.Api.Features;
using Songjiang.Persistence;
using Songjiang.ServiceDefaults.Hosting;

namespace Songjiang.PolicyRadar.Api.Extensions;

/// <summary>The policyradar service's registrations and endpoints.</summary>
public static class Extensions
{
    /// <summary>Registers the service's dependencies.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<PolicyRadarDbContext>("policyradar");
        builder.AddEventBus();
    }

    /// <summary>Maps the service's APIs under <c>/api/policyradar</c>.</summary>
    public static WebApplication MapPolicyRadarApi(this WebApplication app)
    {
        app.MapServiceInfoApi("policyradar");
        app.MapEventBusAdminEndpoints("/api/policyradar");
        app.MapCriteriaApi();
        return app;
    }
}
