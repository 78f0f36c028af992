using Microsoft.IdentityModel.Tokens;
using Songjiang.EventBus;
using Songjiang.Notifications.Api;
using Songjiang.Notifications.Api.IntegrationEvents.Events;
using Songjiang.Notifications.Api.Streaming;
using System.Security.Cryptography;

namespace Songjiang.Notifications.Benchmarks;

/// <summary>
/// The notification service as its own process, composed by its module exactly as in production (SQLite, in-process
/// bus), validating real RS256 tokens against a signing key published at its own metadata address, plus two bench
/// endpoints: publish a task event on the bus, and count the open streams.
/// </summary>
public static class BenchServer
{
    /// <summary>The token issuer the bench signs as.</summary>
    public const string Issuer = "http://bench-authority/";

    /// <summary>Runs until killed.</summary>
    public static async Task RunAsync(int port, string keyFile, string dataDirectory)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(await File.ReadAllTextAsync(keyFile));
        var key = new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = "bench" };
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(key);
        jwk.Use = "sig";
        jwk.Alg = SecurityAlgorithms.RsaSha256;

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(NotificationsModule).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Urls"] = $"http://127.0.0.1:{port}",
            ["Database:DataDirectory"] = dataDirectory,
            ["Authentication:Authority"] = Issuer,
            ["Authentication:MetadataAddress"] = $"http://127.0.0.1:{port}/.well-known/openid-configuration",
            ["Authentication:RequireHttpsMetadata"] = "false",
            ["EventBus:AppId"] = "notifications",
            ["EventBus:Transport"] = "InMemory",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Songjiang"] = "Warning",
        });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxConcurrentConnections = null);
        var app = NotificationsModule.Module.Build(builder);

        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Issuer,
            ["jwks_uri"] = $"http://127.0.0.1:{port}/.well-known/jwks",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        })).AllowAnonymous();
        app.MapGet("/.well-known/jwks", () => Results.Json(new { keys = new[] { jwk } })).AllowAnonymous();
        app.MapPost("/bench/publish", async (string department, string number, IEventBus bus) =>
        {
            await bus.PublishAsync(new TaskAssignedIntegrationEvent(
                Guid.NewGuid(), Guid.NewGuid(), number, "企业变更登记", null, "审查决定", department, null, null, null));
            return Results.Accepted();
        }).AllowAnonymous();
        app.MapGet("/bench/streams", (StreamHub hub) => Results.Json(new { open = hub.Count })).AllowAnonymous();
        app.MapGet("/bench/memory", () => Results.Json(new
        {
            managed = GC.GetTotalMemory(forceFullCollection: true),
            workingSet = Environment.WorkingSet,
        })).AllowAnonymous();

        await app.StartAsync();
        Console.WriteLine("ready");
        await app.WaitForShutdownAsync();
    }
}
