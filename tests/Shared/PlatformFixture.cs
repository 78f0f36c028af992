using Microsoft.Extensions.Configuration;
using Songjiang.LocalHost;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Songjiang.Testing;

/// <summary>
/// The embedded platform on free loopback ports with a fresh data folder, the way a client meets it: through the
/// gateway. Subclasses add settings (rate limits, extra routes, database provider).
/// </summary>
public class PlatformFixture : IAsyncLifetime
{
    /// <summary>The demo password of every seeded user.</summary>
    public const string DemoPassword = "Songjiang@2026";

    private readonly bool _ownsDataDirectory;
    private readonly int[] _ports;

    /// <summary>A platform with its own new data folder.</summary>
    public PlatformFixture()
        : this(Path.Combine(Path.GetTempPath(), "songjiang-tests", Guid.NewGuid().ToString("N")), ownsDataDirectory: true, FreePorts.Take(PlatformHost.ServiceModules.Count + 1))
    {
    }

    /// <summary>A platform on a given data folder and ports (to test restarts on the same data).</summary>
    protected PlatformFixture(string dataDirectory, bool ownsDataDirectory, int[] ports)
    {
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
        _ports = ports;
    }

    /// <summary>The data folder.</summary>
    public string DataDirectory { get; }

    /// <summary>The running platform.</summary>
    public PlatformHost Host { get; private set; } = null!;

    /// <summary>A client of the gateway.</summary>
    public HttpClient Gateway { get; private set; } = null!;

    /// <summary>A client of the identity service directly, bypassing the gateway's limits.</summary>
    public HttpClient IdentityDirect { get; private set; } = null!;

    /// <summary>Settings every service sees, on top of the defaults below.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings => [];

    /// <summary>Registrations a subclass adds to a service before the service's own (e.g. a clock it moves).</summary>
    protected virtual void ConfigureServices(string service, Microsoft.Extensions.DependencyInjection.IServiceCollection services)
    {
    }

    /// <inheritdoc />
    public virtual async ValueTask InitializeAsync()
    {
        var ports = _ports;
        var settings = new Dictionary<string, string?>
        {
            ["Platform:GatewayUrl"] = $"http://127.0.0.1:{ports[0]}",
            ["Platform:DataDirectory"] = DataDirectory,
            ["Identity:DemoProfile"] = "true",
            ["Enterprises:DemoData"] = "true",
            ["ServiceAccount:ClientId"] = "songjiang-services",
            ["ServiceAccount:ClientSecret"] = "demo-services-secret",
            ["Identity:RequireHttps"] = "false",
            ["Authentication:ClockSkew"] = "00:00:00",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Error",
        };
        var i = 1;
        foreach (var module in PlatformHost.ServiceModules)
        {
            settings[$"Platform:Services:{module.Name}"] = $"http://127.0.0.1:{ports[i++]}";
        }
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        Host = await PlatformHost.StartAsync(configuration, "Development", ConfigureServices);
        Gateway = ExternalClient(Host.GatewayUri);
        IdentityDirect = ExternalClient(new Uri(Host.Options.Services["identity"]));
    }

    /// <inheritdoc />
    public virtual async ValueTask DisposeAsync()
    {
        Gateway?.Dispose();
        IdentityDirect?.Dispose();
        // Host is null when a subclass chose not to start (no server for it in this run).
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
        if (_ownsDataDirectory && Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// A client as an outside caller would be: it sends only the headers a test sets. (In this process the services'
    /// telemetry listens to HttpClient too, which would otherwise inject trace headers of its own.)
    /// </summary>
    public static HttpClient ExternalClient(Uri baseAddress) => new(new SocketsHttpHandler
    {
        ActivityHeadersPropagator = null,
        AllowAutoRedirect = false,
    })
    {
        BaseAddress = baseAddress,
    };

    /// <summary>Requests a token at <c>/connect/token</c> and returns the raw response.</summary>
    public static Task<HttpResponseMessage> RequestTokenAsync(HttpClient client, params (string Key, string Value)[] form) =>
        client.PostAsync("/connect/token", new FormUrlEncodedContent(form.Select(p => KeyValuePair.Create(p.Key, p.Value))));

    /// <summary>A demo user's access token (password grant through the given client, the gateway by default).</summary>
    public async Task<string> UserTokenAsync(string userName, string scope = "openid profile roles api", HttpClient? via = null)
    {
        using var response = await RequestTokenAsync(via ?? Gateway,
            ("grant_type", "password"), ("client_id", "songjiang-cli"),
            ("username", userName), ("password", DemoPassword), ("scope", scope));
        return await AccessTokenOf(response);
    }

    /// <summary>A partner city's access token (client_credentials with its demo secret).</summary>
    public async Task<string> CityTokenAsync(string cityCode, HttpClient? via = null)
    {
        using var response = await RequestTokenAsync(via ?? Gateway,
            ("grant_type", "client_credentials"), ("client_id", $"g60-{cityCode}"),
            ("client_secret", $"demo-g60-{cityCode}-secret"), ("scope", "api"));
        return await AccessTokenOf(response);
    }

    /// <summary>Reads <c>access_token</c> from a successful token response.</summary>
    public static async Task<string> AccessTokenOf(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"token request failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>A GET through the gateway with a bearer token.</summary>
    public Task<HttpResponseMessage> GetAsync(string path, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return Gateway.SendAsync(request);
    }

    /// <summary>Reads a JSON body.</summary>
    public static async Task<JsonElement> JsonOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>());
}
