using Songjiang.LocalHost;
using Songjiang.Testing;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Songjiang.Gateway.Tests;

public sealed class GatewayRoutingTests(GatewayFixture platform) : IClassFixture<GatewayFixture>
{
    private static readonly string[] BusinessServiceNames =
        [.. PlatformHost.ServiceModules.Select(m => m.Name).Where(name => name != "identity")];

    public static TheoryData<string> BusinessServices => [.. BusinessServiceNames];

    [Theory]
    [MemberData(nameof(BusinessServices))]
    public async Task Api_route_reaches_its_service_with_the_callers_identity(string service)
    {
        var token = await platform.UserTokenAsync("ent-zhisuan");

        using var response = await platform.GetAsync($"/api/{service}/about", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await PlatformFixture.JsonOf(response);
        Assert.Equal(service, body.GetProperty("service").GetString());
        Assert.Equal("91310117MA1J3GKL0Q", body.GetProperty("caller").GetProperty("uscc").GetString());
    }

    [Theory]
    [MemberData(nameof(BusinessServices))]
    public async Task OpenApi_document_of_each_service_is_published_at_the_gateway(string service)
    {
        using var response = await platform.Gateway.GetAsync($"/openapi/{service}.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await PlatformFixture.JsonOf(response);
        var module = PlatformHost.ServiceModules.Single(m => m.Name == service);
        Assert.Equal(module.Title, document.GetProperty("info").GetProperty("title").GetString());
        Assert.True(document.GetProperty("paths").TryGetProperty($"/api/{service}/about", out _));
    }

    [Fact]
    public async Task Api_reference_page_lists_every_service_document()
    {
        using var response = await platform.Gateway.GetAsync("/docs/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        foreach (var service in BusinessServiceNames)
        {
            Assert.Contains($"\"url\":\"openapi/{service}.json\"", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Identity_routes_reach_the_token_service()
    {
        using var response = await platform.Gateway.GetAsync("/.well-known/openid-configuration");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await PlatformFixture.JsonOf(response);
        Assert.Equal(platform.Host.GatewayUri.ToString(), document.GetProperty("issuer").GetString());
    }

    [Fact]
    public async Task Aggregated_health_reports_every_service_ready()
    {
        using var response = await platform.Gateway.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await PlatformFixture.JsonOf(response);
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        foreach (var module in PlatformHost.ServiceModules)
        {
            Assert.Equal("Healthy", report.GetProperty("checks").GetProperty(module.Name).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Correlation_id_from_the_client_is_forwarded_and_returned_once()
    {
        var token = await platform.UserTokenAsync("ent-zhisuan");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/headers");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("X-Correlation-Id", "case-2026-000123");

        using var response = await platform.Gateway.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["case-2026-000123"], response.Headers.GetValues("X-Correlation-Id"));
        var echoed = (await PlatformFixture.JsonOf(response)).GetProperty("headers");
        Assert.Equal("case-2026-000123", echoed.GetProperty("x-correlation-id").GetString());
    }

    [Fact]
    public async Task Trace_context_is_forwarded_and_names_the_correlation_id_when_none_is_given()
    {
        var token = await platform.UserTokenAsync("ent-zhisuan");
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/trace");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");

        using var response = await platform.Gateway.SendAsync(request);

        Assert.Equal(traceId, response.Headers.GetValues("X-Correlation-Id").Single());
        var echoed = (await PlatformFixture.JsonOf(response)).GetProperty("headers");
        Assert.Contains(traceId, echoed.GetProperty("traceparent").GetString(), StringComparison.Ordinal);
        Assert.Equal(traceId, echoed.GetProperty("x-correlation-id").GetString());
    }

    [Fact]
    public async Task Malformed_correlation_id_is_replaced()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.TryAddWithoutValidation("X-Correlation-Id", "<script>alert(1)</script>");

        using var response = await platform.Gateway.SendAsync(request);

        var id = response.Headers.GetValues("X-Correlation-Id").Single();
        Assert.DoesNotContain("<", id, StringComparison.Ordinal);
        Assert.True(id.Length is > 0 and <= 64);
    }
}
