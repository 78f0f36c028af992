using Songjiang.Cases.Api.Extensions;
using Songjiang.ServiceDefaults.Hosting;

namespace Songjiang.Cases.Api;

/// <summary>The cases service's composition, for its own process and for the embedded host.</summary>
public static class CasesModule
{
    /// <summary>The module.</summary>
    public static ServiceModule Module { get; } = new(
        "cases",
        "Songjiang Cases (办件)",
        typeof(CasesModule).Assembly,
        builder => builder.AddApplicationServices(),
        app => app.MapCasesApi());
}
