using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using System.Reflection;

namespace Songjiang.ServiceDefaults.Hosting;

/// <summary>
/// How to compose one service: its registrations and its endpoints. A service's <c>Program</c> applies it to its
/// own <see cref="WebApplication"/>; the embedded host applies every module, each to a separate application.
/// </summary>
/// <param name="Name">The logical service name used for routes, discovery and the data file (e.g. <c>catalog</c>).</param>
/// <param name="Title">The human title shown in OpenAPI and logs.</param>
/// <param name="Assembly">The service's assembly: the application name its host is built with.</param>
/// <param name="AddServices">Registers the service's dependencies (after the platform defaults).</param>
/// <param name="MapEndpoints">Maps the service's APIs (after the default endpoints).</param>
public sealed record ServiceModule(
    string Name,
    string Title,
    Assembly Assembly,
    Action<WebApplicationBuilder> AddServices,
    Action<WebApplication> MapEndpoints)
{
    /// <summary>Builds a ready-to-run application for the module from a prepared builder.</summary>
    public WebApplication Build(WebApplicationBuilder builder)
    {
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Service:Name"] = Name,
            ["Service:Title"] = Title,
        });
        builder.AddServiceDefaults();
        AddServices(builder);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        MapEndpoints(app);
        return app;
    }
}
