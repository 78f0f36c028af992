using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Songjiang.ServiceDefaults;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.Testing;

namespace Songjiang.Identity.Tests;

/// <summary>
/// A service reads the identity service's metadata at start and stops when the issuer it trusts
/// (<c>Authentication:Authority</c>) is not the one the identity service issues as (<c>Identity:Issuer</c>).
/// </summary>
public sealed class IssuerConsistencyTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    [Fact]
    public async Task A_service_trusting_another_issuer_than_identitys_stops_with_exit_code_1()
    {
        await using var service = await StartServiceAsync("https://ywtb.elsewhere.example/");

        await CheckedAsync(service);

        Assert.True(service.Lifetime.ApplicationStopping.IsCancellationRequested, "the service kept running with an issuer no token carries");
        Assert.Equal(1, Environment.ExitCode);
        Environment.ExitCode = 0; // this test process's own exit code
    }

    [Fact]
    public async Task A_service_trusting_identitys_issuer_keeps_running()
    {
        await using var service = await StartServiceAsync(platform.Host.GatewayUri.ToString());

        await CheckedAsync(service);

        Assert.False(service.Lifetime.ApplicationStopping.IsCancellationRequested);
    }

    private static async Task CheckedAsync(WebApplication service)
    {
        var check = service.Services.GetServices<IHostedService>().OfType<IssuerConsistencyCheck>().Single();
        await check.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
    }

    private async Task<WebApplication> StartServiceAsync(string authority)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Urls"] = $"http://127.0.0.1:{FreePorts.Take(1)[0]}",
            ["Service:Title"] = "A service of the platform",
            ["Authentication:Authority"] = authority,
            ["Authentication:MetadataAddress"] = platform.Host.Options.Services["identity"] + "/.well-known/openid-configuration",
            ["Authentication:RequireHttpsMetadata"] = "false",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddServiceDefaults();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        try
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
        }
        catch (OperationCanceledException) when (app.Lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // The check read identity's metadata and stopped the service before the server had bound its port.
        }

        return app;
    }
}
