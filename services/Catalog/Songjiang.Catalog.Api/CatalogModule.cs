using Songjiang.Catalog.Api.Extensions;
using Songjiang.ServiceDefaults.Hosting;

namespace Songjiang.Catalog.Api;

/// <summary>The catalog service's composition, for its own process and for the embedded host.</summary>
public static class CatalogModule
{
    /// <summary>The module.</summary>
    public static ServiceModule Module { get; } = new(
        "catalog",
        "Songjiang Catalog (事项与一件事)",
        typeof(CatalogModule).Assembly,
        builder => builder.AddApplicationServices(),
        app => app.MapCatalogApi());
}
