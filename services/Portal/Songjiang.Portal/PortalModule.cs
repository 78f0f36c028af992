using Songjiang.Portal.Extensions;
using Songjiang.ServiceDefaults.Hosting;

namespace Songjiang.Portal;

/// <summary>The web portal's composition, for its own process and for the embedded host.</summary>
public static class PortalModule
{
    /// <summary>The module.</summary>
    public static ServiceModule Module { get; } = new(
        "portal",
        "Songjiang Portal (一网通办门户)",
        typeof(PortalModule).Assembly,
        builder => builder.AddApplicationServices(),
        app => app.MapPortal());
}
