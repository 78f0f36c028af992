using Songjiang.Gateway.Extensions;
using Songjiang.ServiceDefaults.Hosting;

namespace Songjiang.Gateway;

/// <summary>The gateway's composition, for its own process and for the embedded host.</summary>
public static class GatewayModule
{
    /// <summary>The module.</summary>
    public static ServiceModule Module { get; } = new(
        "gateway",
        "Songjiang G60 one-stop services gateway",
        typeof(GatewayModule).Assembly,
        builder => builder.AddGateway(),
        app => app.MapGateway());
}
