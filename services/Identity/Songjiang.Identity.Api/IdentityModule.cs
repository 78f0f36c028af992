using Songjiang.Identity.Api.Extensions;
using Songjiang.ServiceDefaults.Hosting;

namespace Songjiang.Identity.Api;

/// <summary>The identity service's composition, for its own process and for the embedded host.</summary>
public static class IdentityModule
{
    /// <summary>The module.</summary>
    public static ServiceModule Module { get; } = new(
        "identity",
        "Songjiang Identity (OAuth 2.0 / OpenID Connect)",
        typeof(IdentityModule).Assembly,
        builder => builder.AddApplicationServices(),
        app => app.MapIdentityApi());
}
