using System.Globalization;
using System.Net.Sockets;
using Songjiang.Testing;

namespace Songjiang.LoadDriver;

/// <summary>A platform the driver started: the gateway's address and the processes whose CPU time is measured.</summary>
internal sealed class RunningPlatform(string mode, Uri gateway, List<ChildProcess> children, Dictionary<string, int> measured) : IAsyncDisposable
{
    public string Mode { get; } = mode;

    public Uri Gateway { get; } = gateway;

    /// <summary>Name of each measured process tree and its root process id.</summary>
    public IReadOnlyDictionary<string, int> Measured { get; } = measured;

    /// <summary>Stops the gateway first, then the services, then the servers: the reverse of the start order.</summary>
    public async ValueTask DisposeAsync()
    {
        for (var i = children.Count - 1; i >= 0; i--)
        {
            await children[i].DisposeAsync();
        }
    }
}

/// <summary>Starts the platform in each run mode from the Release build in <c>artifacts/</c>.</summary>
internal static class Platforms
{
    /// <summary>The services in the embedded host's start order (the gateway comes last).</summary>
    private static readonly (string Name, string Project)[] Services =
    [
        ("identity", "Songjiang.Identity.Api"), ("catalog", "Songjiang.Catalog.Api"), ("cases", "Songjiang.Cases.Api"),
        ("licenses", "Songjiang.Licenses.Api"), ("enterprises", "Songjiang.Enterprises.Api"), ("policyradar", "Songjiang.PolicyRadar.Api"),
        ("exchange", "Songjiang.Exchange.Api"), ("notifications", "Songjiang.Notifications.Api"), ("portal", "Songjiang.Portal"),
    ];

    /// <summary>
    /// The gateway limits each user to 50 requests a second (burst 200); the driver's few demo users stand for many
    /// enterprises and caseworkers, so the limit is lifted for the run, in both modes alike.
    /// </summary>
    private static readonly Dictionary<string, string> LoadSettings = new(StringComparer.Ordinal)
    {
        ["Gateway__RateLimit__Burst"] = "1000000",
        ["Gateway__RateLimit__TokensPerPeriod"] = "1000000",
        ["DOTNET_ENVIRONMENT"] = "Production",
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__Songjiang"] = "Information",
    };

    /// <summary>The embedded host as a child process on a fresh data folder.</summary>
    public static async Task<RunningPlatform> StartEmbeddedAsync(string repository, string work)
    {
        var data = Directory.CreateDirectory(Path.Combine(work, "data")).FullName;
        var ports = FreePorts.Take(Services.Length + 1);
        var gateway = new Uri($"http://127.0.0.1:{ports[0]}");
        var environment = new Dictionary<string, string>(LoadSettings, StringComparer.Ordinal)
        {
            ["Platform__GatewayUrl"] = gateway.ToString().TrimEnd('/'),
            ["Platform__DataDirectory"] = data,
        };
        for (var i = 0; i < Services.Length; i++)
        {
            environment[$"Platform__Services__{Services[i].Name}"] = $"http://127.0.0.1:{ports[i + 1]}";
        }

        var host = StartProgram(repository, work, "embedded-host", "Songjiang.LocalHost", environment);
        var children = new List<ChildProcess> { host };
        await using var cleanUp = new StopOnFailure(children);
        await WaitReadyAsync(new Uri(gateway, "/health/ready"), host);
        cleanUp.Keep();
        return new RunningPlatform("embedded host (SQLite, in-process events)", gateway, children, new() { ["embedded host"] = host.Id });
    }

    /// <summary>
    /// The distributed mode as the app host runs it: PostgreSQL and RabbitMQ from the app host's server scripts (durable
    /// settings), every service and the gateway as its own process with the settings the app host gives them.
    /// </summary>
    public static async Task<RunningPlatform> StartDistributedAsync(string repository, string work)
    {
        var ports = FreePorts.Take(Services.Length + 3);
        int postgresPort = ports[^2], amqpPort = ports[^1];
        var gateway = new Uri($"http://127.0.0.1:{ports[0]}");
        var issuer = gateway.ToString();
        var children = new List<ChildProcess>();
        await using var cleanUp = new StopOnFailure(children);
        var servers = Path.Combine(repository, "deploy", "Songjiang.AppHost", "servers");
        var state = Directory.CreateDirectory(Path.Combine(work, "state")).FullName;

        var postgres = ChildProcess.Start("postgres", "bash", [Path.Combine(servers, "postgres.sh"), Path.Combine(state, "postgres")], state,
            new Dictionary<string, string> { ["PG_PORT"] = postgresPort.ToString(CultureInfo.InvariantCulture) }, Path.Combine(work, "postgres.log"));
        children.Add(postgres);
        var rabbitMq = ChildProcess.Start("rabbitmq", "bash", [Path.Combine(servers, "rabbitmq.sh"), Path.Combine(state, "rabbitmq")], state,
            new Dictionary<string, string> { ["AMQP_PORT"] = amqpPort.ToString(CultureInfo.InvariantCulture) }, Path.Combine(work, "rabbitmq.log"));
        children.Add(rabbitMq);
        await WaitListeningAsync(postgresPort, postgres);
        await WaitListeningAsync(amqpPort, rabbitMq);

        var addresses = Services.Select((s, i) => (s.Name, Url: $"http://127.0.0.1:{ports[i + 1]}")).ToList();
        var common = new Dictionary<string, string>(LoadSettings, StringComparer.Ordinal);
        foreach (var (name, url) in addresses)
        {
            common[$"services__{name}__http__0"] = url;
        }

        var measured = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var ((name, project), (_, url)) in Services.Zip(addresses))
        {
            var environment = new Dictionary<string, string>(common, StringComparer.Ordinal)
            {
                ["Urls"] = url,
                ["Database__Provider"] = "Postgres",
                [$"ConnectionStrings__{name}"] = $"Host=127.0.0.1;Port={postgresPort};Username=postgres;Password=postgres;Database=songjiang_{name}",
                ["Database__DataDirectory"] = Path.Combine(state, "services"),
                ["EventBus__Transport"] = "RabbitMQ",
                ["ConnectionStrings__eventbus"] = $"amqp://guest:guest@127.0.0.1:{amqpPort}/",
                ["ServiceAccount__ClientId"] = "songjiang-services",
                ["ServiceAccount__ClientSecret"] = "demo-services-secret",
                ["Enterprises__DemoData"] = "true",
                ["KeyEncryption__KeyFile"] = Path.Combine(state, "key-encryption.key"),
                ["KeyEncryption__CreateKeyFile"] = "true",
                ["Notifications__PublicBaseUrl"] = issuer.TrimEnd('/'),
            };
            if (name == "identity")
            {
                environment["Identity__Issuer"] = issuer;
                environment["Identity__DemoProfile"] = "true";
                environment["Identity__RequireHttps"] = "false";
            }
            else
            {
                AddAuthority(environment, issuer);
            }

            // One at a time, each ready before the next starts: the first makes the key-encryption key file the others
            // read, and some read another service at start (the enterprise register reads the catalog's matters, and
            // stops if the catalog does not answer in time).
            var process = StartProgram(repository, work, name, project, environment);
            children.Add(process);
            measured[name] = process.Id;
            await WaitReadyAsync(new Uri(new Uri(url), "/health/ready"), process);
        }

        var gatewayEnvironment = new Dictionary<string, string>(common, StringComparer.Ordinal) { ["Urls"] = issuer.TrimEnd('/') };
        AddAuthority(gatewayEnvironment, issuer);
        var gatewayProcess = StartProgram(repository, work, "gateway", "Songjiang.Gateway", gatewayEnvironment);
        children.Add(gatewayProcess);
        await WaitReadyAsync(new Uri(gateway, "/health/ready"), gatewayProcess);
        measured["gateway"] = gatewayProcess.Id;
        measured["PostgreSQL"] = postgres.Id;
        measured["RabbitMQ"] = rabbitMq.Id;
        cleanUp.Keep();
        return new RunningPlatform("distributed (a process per service, PostgreSQL, RabbitMQ)", gateway, children, measured);
    }

    private static void AddAuthority(Dictionary<string, string> environment, string issuer)
    {
        environment["Authentication__Authority"] = issuer;
        environment["Authentication__MetadataAddress"] = "http://identity/.well-known/openid-configuration";
        environment["Authentication__RequireHttpsMetadata"] = "false";
    }

    private static ChildProcess StartProgram(string repository, string work, string name, string project, Dictionary<string, string> environment)
    {
        var folder = Path.Combine(repository, "artifacts", "bin", project, "release");
        var program = Path.Combine(folder, project + ".dll");
        if (!File.Exists(program))
        {
            throw new InvalidOperationException($"{program} is missing: build it first (bench/load.sh does).");
        }

        return ChildProcess.Start(name, "dotnet", [program], folder, environment, Path.Combine(work, name + ".log"));
    }

    private static async Task WaitReadyAsync(Uri health, ChildProcess process)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.Name} exited while starting; see its log in the work folder.");
            }

            try
            {
                using var response = await client.GetAsync(health);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{process.Name} was not ready at {health} after 5 minutes.");
            }

            await Task.Delay(500);
        }
    }

    private static async Task WaitListeningAsync(int port, ChildProcess process)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.Name} exited while starting; see its log in the work folder.");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
        }
    }

    /// <summary>Stops what was started when a later start fails.</summary>
    private sealed class StopOnFailure(List<ChildProcess> children) : IAsyncDisposable
    {
        private bool _keep;

        public void Keep() => _keep = true;

        public async ValueTask DisposeAsync()
        {
            if (_keep)
            {
                return;
            }

            for (var i = children.Count - 1; i >= 0; i--)
            {
                await children[i].DisposeAsync();
            }
        }
    }
}
