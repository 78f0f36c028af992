using Songjiang.Licenses.Api.Infrastructure;
using Songjiang.Persistence;
using Songjiang.ServiceDefaults.Hosting;

namespace Songjiang.Licenses.Api.Extensions;

/// <summary>The licenses service's registrations and endpoints.</summary>
public static class Extensions
{
    /// <summary>Registers the service's dependencies.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<LicensesDbContext>("licenses");
    }

    /// <summary>Maps the service's APIs under <c>/api/licenses</c>.</summary>
    public static WebApplication MapLicensesApi(this WebApplication app)
    {
        app.MapServiceInfoApi("licenses");
        return app;
    }
}
