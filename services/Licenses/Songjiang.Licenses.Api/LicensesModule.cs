using Songjiang.Licenses.Api.Extensions;
using Songjiang.ServiceDefaults.Hosting;

namespace Songjiang.Licenses.Api;

/// <summary>The licenses service's composition, for its own process and for the embedded host.</summary>
public static class LicensesModule
{
    /// <summary>The module.</summary>
    public static ServiceModule Module { get; } = new(
        "licenses",
        "Songjiang Licences (电子证照)",
        typeof(LicensesModule).Assembly,
        builder => builder.AddApplicationServices(),
        app => app.MapLicensesApi());
}
