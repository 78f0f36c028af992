using Songjiang.Cases.Api;
using Songjiang.Catalog.Api;
using Songjiang.Enterprises.Api;
using Songjiang.EventBus;
using Songjiang.Exchange.Api;
using Songjiang.Gateway;
using Songjiang.Identity.Api;
using Songjiang.Licenses.Api;
using Songjiang.Notifications.Api;
using Songjiang.PolicyRadar.Api;
using Songjiang.Portal;
using Songjiang.ServiceDefaults.Hosting;

namespace Songjiang.LocalHost;

/// <summary>
/// The whole platform in one process: every service its own <see cref="WebApplication"/> on its own loopback port
/// with its own container and SQLite file, and the gateway in front. Services start first, the gateway last.
/// </summary>
public sealed class PlatformHost : IAsyncDisposable
{
    /// <summary>The services, in start order.</summary>
    public static IReadOnlyList<ServiceModule> ServiceModules { get; } =
    [
        IdentityModule.Module,
        CatalogModule.Module,
        CasesModule.Module,
        LicensesModule.Module,
        EnterprisesModule.Module,
        PolicyRadarModule.Module,
        ExchangeModule.Module,
        NotificationsModule.Module,
        PortalModule.Module,
    ];

    private readonly List<(ServiceModule Module, WebApplication App)> _applications = [];

    private PlatformHost(PlatformHostOptions options) => Options = options;

    /// <summary>The resolved settings (absolute data folder).</summary>
    public PlatformHostOptions Options { get; }

    /// <summary>The gateway's address.</summary>
    public Uri GatewayUri => new(Options.GatewayUrl);

    /// <summary>The running application of a service (or <c>gateway</c>), for tests and diagnostics.</summary>
    public WebApplication Application(string name) =>
        _applications.Single(entry => entry.Module.Name == name).App;

    /// <summary>Builds and starts every service and then the gateway.</summary>
    /// <param name="configuration">
    /// Shared settings: section <c>Platform</c> for addresses and data, plus any setting every service should see
    /// (<c>Database</c>, <c>EventBus</c>, <c>Logging</c>, <c>Identity</c>, <c>Gateway</c>, …).
    /// </param>
    /// <param name="environmentName">The hosting environment of every application.</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    public static Task<PlatformHost> StartAsync(IConfiguration configuration, string environmentName, CancellationToken cancellationToken = default) =>
        StartAsync(configuration, environmentName, configureServices: null, cancellationToken);

    /// <summary>Builds and starts every service and then the gateway, letting the caller add registrations per service.</summary>
    /// <param name="configuration">Shared settings, as above.</param>
    /// <param name="environmentName">The hosting environment of every application.</param>
    /// <param name="configureServices">
    /// Called with each service's name and its services before the service registers its own (e.g. a test's
    /// <see cref="TimeProvider"/>, which the services' own <c>TryAdd</c> then keeps).
    /// </param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    public static async Task<PlatformHost> StartAsync(
        IConfiguration configuration, string environmentName, Action<string, IServiceCollection>? configureServices,
        CancellationToken cancellationToken = default)
    {
        var options = configuration.GetSection(PlatformHostOptions.SectionName).Get<PlatformHostOptions>() ?? new PlatformHostOptions();
        options.DataDirectory = Path.GetFullPath(options.DataDirectory);
        // Databases, keys and materials below it are this account's alone.
        Songjiang.ServiceDefaults.Storage.PrivateFiles.CreateDirectory(options.DataDirectory);
        options.GatewayUrl = options.GatewayUrl.TrimEnd('/');
        var missing = ServiceModules.Select(m => m.Name).Where(name => !options.Services.ContainsKey(name)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"Platform:Services has no address for {string.Join(", ", missing)}.");
        }

        var host = new PlatformHost(options);
        // One in-process broker per platform: the services of this host exchange events, and nobody else's do.
        // Held closed until every service has bound its queues, so events a crash left in an outbox wait for their consumers.
        var broker = new InMemoryBroker(startOpen: false);
        try
        {
            foreach (var module in ServiceModules.Append(GatewayModule.Module))
            {
                var builder = CreateBuilder(module, configuration, options, environmentName);
                builder.Services.AddSingleton(broker);
                configureServices?.Invoke(module.Name, builder.Services);
                var app = module.Build(builder);
                await app.StartAsync(cancellationToken);
                host._applications.Add((module, app));
            }
            broker.Open();
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
        return host;
    }

    /// <summary>Completes when any application is asked to stop (Ctrl+C or SIGTERM reach them all).</summary>
    public Task WaitForShutdownAsync() =>
        Task.WhenAny(_applications.Select(entry => entry.App.WaitForShutdownAsync()));

    /// <summary>Stops the gateway first, then the services in reverse start order.</summary>
    public async ValueTask DisposeAsync()
    {
        for (var i = _applications.Count - 1; i >= 0; i--)
        {
            var app = _applications[i].App;
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
        _applications.Clear();
    }

    private static WebApplicationBuilder CreateBuilder(
        ServiceModule module, IConfiguration shared, PlatformHostOptions options, string environmentName)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = module.Assembly.GetName().Name,
            EnvironmentName = environmentName,
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Exactly these sources, in rising precedence: the service's own defaults, the shared settings, then the
        // addresses this host assigns.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "config", module.Name + ".json"), optional: true);
        builder.Configuration.AddConfiguration(shared);
        builder.Configuration.AddInMemoryCollection(AssignedSettings(module, options));
        return builder;
    }

    private static Dictionary<string, string?> AssignedSettings(ServiceModule module, PlatformHostOptions options)
    {
        var issuer = options.GatewayUrl + "/";
        var settings = new Dictionary<string, string?>
        {
            ["Urls"] = module == GatewayModule.Module ? options.GatewayUrl : options.Services[module.Name],
            ["Database:DataDirectory"] = options.DataDirectory,
            // The embedded host keeps its own key-encryption key in its data folder (owner-only, made on first start).
            ["KeyEncryption:KeyFile"] = Path.Combine(options.DataDirectory, "key-encryption.key"),
            ["KeyEncryption:CreateKeyFile"] = "true",
            ["Hosting:Embedded"] = "true",
        };
        foreach (var (name, url) in options.Services)
        {
            settings[$"Services:{name}:http:0"] = url;
        }
        if (module == IdentityModule.Module)
        {
            settings["Identity:Issuer"] = issuer;
        }
        else
        {
            settings["Authentication:Authority"] = issuer;
            settings["Authentication:MetadataAddress"] = "http://identity/.well-known/openid-configuration";
            settings["Authentication:RequireHttpsMetadata"] = "false";
        }
        return settings;
    }
}
