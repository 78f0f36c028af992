using Songjiang.Exchange.Api.Extensions;
using Songjiang.ServiceDefaults.Hosting;

namespace Songjiang.Exchange.Api;

/// <summary>The exchange service's composition, for its own process and for the embedded host.</summary>
public static class ExchangeModule
{
    /// <summary>The module.</summary>
    public static ServiceModule Module { get; } = new(
        "exchange",
        "Songjiang G60 Exchange (跨省通办)",
        typeof(ExchangeModule).Assembly,
        builder => builder.AddApplicationServices(),
        app => app.MapExchangeApi());
}
