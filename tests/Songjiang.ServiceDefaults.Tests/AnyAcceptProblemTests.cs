using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Songjiang.ServiceDefaults.Problems;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;

namespace Songjiang.ServiceDefaults.Tests;

/// <summary>
/// A service on the defaults in the Development environment — where ASP.NET Core would put up its exception page —
/// failing while the caller accepts no JSON.
/// </summary>
public sealed class DevelopmentServiceFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public HttpClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Service:Title"] = "Test service",
            // A service refuses to start without the issuer it trusts; no token is presented in these tests.
            ["Authentication:Authority"] = "http://127.0.0.1:9/",
            ["Authentication:RequireHttpsMetadata"] = "false",
        });
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.None);
        builder.AddServiceDefaults();
        _app = builder.Build();
        _app.MapDefaultEndpoints();
        _app.MapGet("/orders/{id:int}", (int id) => id == 1 ? Results.Ok() : throw new NotFoundException($"Order {id} does not exist."));
        _app.MapGet("/boom", () => { throw new InvalidOperationException("secret connection string Password=hunter2"); });
        await _app.StartAsync();
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}

public sealed class AnyAcceptProblemTests(DevelopmentServiceFixture service) : IClassFixture<DevelopmentServiceFixture>
{
    public static TheoryData<string> Accepts => ["text/html", "text/plain", "application/xml", "image/png", "text/html, application/xhtml+xml;q=0.9, */*;q=0.8"];

    [Theory]
    [MemberData(nameof(Accepts))]
    public async Task An_unhandled_exception_is_a_500_problem_without_a_stack_trace_whatever_the_accept_header(string accept)
    {
        using var response = await GetAsync("/boom", accept);

        var text = await ProblemTextOf(response, HttpStatusCode.InternalServerError);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Accepts))]
    public async Task A_missing_resource_is_a_404_problem_whatever_the_accept_header(string accept)
    {
        using var response = await GetAsync("/orders/7", accept);

        var text = await ProblemTextOf(response, HttpStatusCode.NotFound);
        Assert.Equal("Order 7 does not exist.", JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString());
    }

    [Theory]
    [MemberData(nameof(Accepts))]
    public async Task An_unknown_route_is_a_404_problem_whatever_the_accept_header(string accept)
    {
        using var response = await GetAsync("/nowhere", accept);

        await ProblemTextOf(response, HttpStatusCode.NotFound);
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return await service.Client.SendAsync(request);
    }

    /// <summary>The body of a problem response, checked to carry no trace of the code that failed.</summary>
    public static async Task<string> ProblemTextOf(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, JsonDocument.Parse(text).RootElement.GetProperty("status").GetInt32());
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain(".cs:line", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<html", text, StringComparison.OrdinalIgnoreCase);
        return text;
    }
}
