using Microsoft.Extensions.Configuration;
using Songjiang.AppHost;

// The distributed platform on one machine: PostgreSQL and RabbitMQ from the Debian packages as processes, every
// service and the gateway as its own process on the RabbitMQ transport, and the Aspire dashboard with their traces,
// metrics and logs. `dotnet run --project deploy/Songjiang.AppHost`, then open the dashboard link it prints.
var builder = DistributedApplication.CreateBuilder(args);

var platform = builder.AddPlatformServers();
var gateway = builder.AddProject<Projects.Songjiang_Gateway>("gateway");
var issuer = ReferenceExpression.Create($"{gateway.GetEndpoint("http")}/");
// Copies of the services that carry the case load (Platform:Replicas, one by default): each copy is its own process on the
// same database and broker, and the orchestrator's proxy spreads the connections to the service over them.
var replicas = builder.Configuration.GetValue("Platform:Replicas", 1);

var services = new[]
{
    builder.AddPlatformService<Projects.Songjiang_Identity_Api>("identity", platform, issuer),
    builder.AddPlatformService<Projects.Songjiang_Catalog_Api>("catalog", platform, issuer),
    builder.AddPlatformService<Projects.Songjiang_Cases_Api>("cases", platform, issuer).WithReplicas(replicas),
    builder.AddPlatformService<Projects.Songjiang_Licenses_Api>("licenses", platform, issuer).WithReplicas(replicas),
    builder.AddPlatformService<Projects.Songjiang_Enterprises_Api>("enterprises", platform, issuer),
    builder.AddPlatformService<Projects.Songjiang_PolicyRadar_Api>("policyradar", platform, issuer),
    builder.AddPlatformService<Projects.Songjiang_Exchange_Api>("exchange", platform, issuer),
    builder.AddPlatformService<Projects.Songjiang_Notifications_Api>("notifications", platform, issuer),
    builder.AddPlatformService<Projects.Songjiang_Portal>("portal", platform, issuer),
};

// Every service may call every other by its logical name (Services:<name>:http:0), as in the embedded host.
foreach (var service in services)
{
    foreach (var other in services.Where(s => s != service))
    {
        service.WithReference(other);
    }

    gateway.WithReference(service).WaitFor(service);
}

gateway.WithPlatformEndpoint()
    .WithEnvironment("Authentication__Authority", issuer)
    .WithEnvironment("Authentication__MetadataAddress", "http://identity/.well-known/openid-configuration")
    .WithEnvironment("Authentication__RequireHttpsMetadata", "false");

builder.Build().Run();
