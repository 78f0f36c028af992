using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Songjiang.Deploy.Tests.Support;
using Songjiang.ServiceDefaults;

namespace Songjiang.Deploy.Tests;

/// <summary>The probe paths of the manifests are what a service built on the platform defaults actually serves.</summary>
public sealed class ProbeTests
{
    [Fact]
    public async Task Every_probe_path_answers_200_on_a_service_built_with_the_platform_defaults()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Authentication:Authority"] = "https://ywtb.songjiang.example/",
        });
        builder.AddServiceDefaults();
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        using var http = new HttpClient { BaseAddress = address };

        var paths = Cluster.OfKind("Deployment")
            .SelectMany(d => new[] { "livenessProbe", "readinessProbe", "startupProbe" }.Select(p => Cluster.Container(d)[p]!["httpGet"]!["path"]!.GetValue<string>()))
            .Distinct()
            .ToList();

        Assert.Equal(["/health/live", "/health/ready"], paths.Order());
        foreach (var path in paths)
        {
            using var response = await http.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
