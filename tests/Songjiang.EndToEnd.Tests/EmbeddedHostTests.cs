using Songjiang.LocalHost;
using Songjiang.Testing;
using System.Net;

namespace Songjiang.EndToEnd.Tests;

public sealed class EmbeddedHostTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    [Fact]
    public async Task Every_service_is_healthy_through_the_gateway()
    {
        using var response = await platform.Gateway.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var checks = (await PlatformFixture.JsonOf(response)).GetProperty("checks");
        foreach (var module in PlatformHost.ServiceModules)
        {
            Assert.Equal("Healthy", checks.GetProperty(module.Name).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Each_service_checks_its_own_database_for_readiness()
    {
        foreach (var module in PlatformHost.ServiceModules)
        {
            using var client = PlatformFixture.ExternalClient(new Uri(platform.Host.Options.Services[module.Name]));
            using var response = await client.GetAsync("/health/ready");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var database = (await PlatformFixture.JsonOf(response)).GetProperty("checks").GetProperty("database");
            Assert.Equal("Healthy", database.GetProperty("status").GetString());
            Assert.True(File.Exists(Path.Combine(platform.DataDirectory, module.Name + ".db")), $"{module.Name} has its own SQLite file");
        }
    }

    [Fact]
    public async Task Services_are_not_reachable_through_the_gateway_under_another_services_route()
    {
        var token = await platform.UserTokenAsync("ent-zhisuan");

        using var response = await platform.GetAsync("/api/catalog/../cases/about", token);

        // The path is normalised before routing, so it can only ever reach the service it names.
        var body = await PlatformFixture.JsonOf(response);
        Assert.Equal("cases", body.GetProperty("service").GetString());
    }

    [Fact]
    public async Task Each_service_exposes_prometheus_metrics_on_its_own_port_but_not_through_the_gateway()
    {
        using var client = PlatformFixture.ExternalClient(new Uri(platform.Host.Options.Services["catalog"]));
        using (await client.GetAsync("/api/catalog/matters/"))
        {
        }

        using var metrics = await client.GetAsync("/metrics");
        using var throughGateway = await platform.Gateway.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("http_server_request_duration_seconds", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, throughGateway.StatusCode);
    }
}
