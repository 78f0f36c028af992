using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using RabbitMQ.Client;

namespace Songjiang.AppHost;

/// <summary>The servers the services share, as the services see them.</summary>
/// <param name="Postgres">PostgreSQL (superuser <c>postgres</c>, trust authentication on loopback).</param>
/// <param name="RabbitMq">RabbitMQ (user <c>guest</c>, allowed on loopback).</param>
/// <param name="StateDirectory">Where the servers and the services keep their files.</param>
internal sealed record PlatformServers(
    IResourceBuilder<ExecutableResource> Postgres,
    IResourceBuilder<ExecutableResource> RabbitMq,
    string StateDirectory)
{
    public EndpointReference PostgresEndpoint => Postgres.GetEndpoint("tcp");

    public EndpointReference RabbitMqEndpoint => RabbitMq.GetEndpoint("tcp");

    public ReferenceExpression ConnectionString(string database) =>
        ReferenceExpression.Create($"Host=127.0.0.1;Port={PostgresEndpoint.Property(EndpointProperty.Port)};Username=postgres;Password=postgres;Database=songjiang_{database}");

    public ReferenceExpression EventBus =>
        ReferenceExpression.Create($"amqp://guest:guest@127.0.0.1:{RabbitMqEndpoint.Property(EndpointProperty.Port)}/");
}

internal static class PlatformResources
{
    /// <summary>
    /// PostgreSQL and RabbitMQ as processes from the Debian packages (<c>postgresql</c>, <c>rabbitmq-server</c>; the
    /// scripts install them when missing and run as root), each on a port the orchestrator assigns, with their files
    /// under <c>Platform:StateDirectory</c> (default <c>data/apphost</c> in the repository).
    /// </summary>
    public static PlatformServers AddPlatformServers(this IDistributedApplicationBuilder builder)
    {
        var repository = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".."));
        var state = Path.GetFullPath(builder.Configuration["Platform:StateDirectory"] ?? Path.Combine(repository, "data", "apphost"));
        var scripts = Path.Combine(builder.AppHostDirectory, "servers");
        Directory.CreateDirectory(state);

        var postgres = builder.AddExecutable("postgres", "bash", state, Path.Combine(scripts, "postgres.sh"), Path.Combine(state, "postgres"))
            .WithEndpoint(name: "tcp", scheme: "tcp", env: "PG_PORT")
            .WithHealthCheck("postgres-ready");
        var rabbitMq = builder.AddExecutable("rabbitmq", "bash", state, Path.Combine(scripts, "rabbitmq.sh"), Path.Combine(state, "rabbitmq"))
            .WithEndpoint(name: "tcp", scheme: "tcp", env: "AMQP_PORT")
            .WithHealthCheck("rabbitmq-ready");
        var servers = new PlatformServers(postgres, rabbitMq, state);

        builder.Services.AddHealthChecks()
            .AddAsyncCheck("postgres-ready", async ct =>
            {
                await using var connection = new NpgsqlConnection(
                    $"Host=127.0.0.1;Port={servers.PostgresEndpoint.Port};Username=postgres;Password=postgres;Database=postgres;Timeout=5");
                await connection.OpenAsync(ct);
                return HealthCheckResult.Healthy();
            })
            .AddAsyncCheck("rabbitmq-ready", async ct =>
            {
                var factory = new ConnectionFactory { Uri = new Uri($"amqp://guest:guest@127.0.0.1:{servers.RabbitMqEndpoint.Port}/") };
                await using var connection = await factory.CreateConnectionAsync(ct);
                return HealthCheckResult.Healthy();
            });
        return servers;
    }

    /// <summary>
    /// One service as a process on PostgreSQL and the RabbitMQ transport, with the settings the embedded host gives it
    /// (issuer, demo profile, service account) and telemetry to the dashboard (Aspire sets the OTLP variables).
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddPlatformService<TProject>(
        this IDistributedApplicationBuilder builder, string name, PlatformServers servers, ReferenceExpression issuer)
        where TProject : IProjectMetadata, new()
    {
        var service = builder.AddProject<TProject>(name)
            .WithPlatformEndpoint()
            .WithEnvironment("Database__Provider", "Postgres")
            .WithEnvironment($"ConnectionStrings__{name}", servers.ConnectionString(name))
            .WithEnvironment("Database__DataDirectory", Path.Combine(servers.StateDirectory, "services"))
            .WithEnvironment("EventBus__Transport", "RabbitMQ")
            .WithEnvironment("ConnectionStrings__eventbus", servers.EventBus)
            .WithEnvironment("ServiceAccount__ClientId", "songjiang-services")
            .WithEnvironment("ServiceAccount__ClientSecret", "demo-services-secret")
            .WithEnvironment("Enterprises__DemoData", "true")
            // One key-encryption key for the run's private keys in the databases, made once in the run's state folder.
            .WithEnvironment("KeyEncryption__KeyFile", Path.Combine(servers.StateDirectory, "key-encryption.key"))
            .WithEnvironment("KeyEncryption__CreateKeyFile", "true")
            .WaitFor(servers.Postgres)
            .WaitFor(servers.RabbitMq);

        if (name == "identity")
        {
            service.WithEnvironment("Identity__Issuer", issuer)
                .WithEnvironment("Identity__DemoProfile", "true")
                .WithEnvironment("Identity__RequireHttps", "false");
        }
        else
        {
            service.WithEnvironment("Authentication__Authority", issuer)
                .WithEnvironment("Authentication__MetadataAddress", "http://identity/.well-known/openid-configuration")
                .WithEnvironment("Authentication__RequireHttpsMetadata", "false");
        }

        return service;
    }

    /// <summary>
    /// Listens where the orchestrator expects: each appsettings.json names a loopback address in <c>Urls</c>, which
    /// outranks the <c>ASPNETCORE_URLS</c> the orchestrator sets, so <c>Urls</c> is set to the endpoint's target port.
    /// The health of the resource is the service's readiness.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithPlatformEndpoint(this IResourceBuilder<ProjectResource> project)
    {
        var http = project.GetEndpoint("http");
        return project
            .WithEnvironment("Urls", ReferenceExpression.Create($"http://127.0.0.1:{http.Property(EndpointProperty.TargetPort)}"))
            .WithHttpHealthCheck("/health/ready");
    }
}
