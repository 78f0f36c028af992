using Songjiang.Enterprises.Api.Extensions;
using Songjiang.ServiceDefaults.Hosting;

namespace Songjiang.Enterprises.Api;

/// <summary>The enterprises service's composition, for its own process and for the embedded host.</summary>
public static class EnterprisesModule
{
    /// <summary>The module.</summary>
    public static ServiceModule Module { get; } = new(
        "enterprises",
        "Songjiang Enterprises (企业全生命周期)",
        typeof(EnterprisesModule).Assembly,
        builder => builder.AddApplicationServices(),
        app => app.MapEnterprisesApi());
}
