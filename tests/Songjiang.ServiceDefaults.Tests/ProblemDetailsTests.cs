using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Songjiang.ServiceDefaults;
using Songjiang.ServiceDefaults.Problems;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Songjiang.ServiceDefaults.Tests;

/// <summary>A service built on the defaults, with endpoints that fail in each way a real one can.</summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public HttpClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Service:Title"] = "Test service",
            // A service refuses to start without the issuer it trusts; no token is presented in these tests.
            ["Authentication:Authority"] = "http://127.0.0.1:9/",
            ["Authentication:RequireHttpsMetadata"] = "false",
        });
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddServiceDefaults();
        _app = builder.Build();
        _app.MapDefaultEndpoints();
        _app.MapPost("/orders", (Order order) => TypedResults.Ok(order));
        _app.MapGet("/days", (DateOnly from, string? note) => TypedResults.Ok(from.AddDays(1)));
        _app.MapPost("/periods", (Period period) => TypedResults.Ok(period.From.AddYears(10)));
        _app.MapGet("/orders/{id:int}", (int id) => id == 1 ? Results.Ok(new Order("first", 1)) : throw new NotFoundException($"Order {id} does not exist."));
        _app.MapGet("/boom", () => { throw new InvalidOperationException("secret connection string Password=hunter2"); });
        _app.MapPost("/validate", () => { throw new ValidationFailedException("quantity", "Quantity must be at least 1."); });
        _app.MapGet("/conflict", () => { throw new ConflictException("The case was already accepted."); });
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

    public sealed record Order(string Name, int Quantity, string[]? Tags = null);

    public sealed record Period(DateOnly From);
}

public sealed class ProblemDetailsTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task Malformed_json_is_400_problem_naming_the_fault()
    {
        using var response = await service.Client.PostAsync("/orders", Json("{\"name\": \"x\", \"quantity\": "));

        var problem = await ProblemOf(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("quantity", out _), problem.ToString());
        Assert.DoesNotContain("System.", problem.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"name\": \"x\", \"quantity\": ", "quantity", "不完整")]
    [InlineData("{\"name\": \"x\"", "order", "不完整")]
    [InlineData("{\"name\": \"x\",, }", "order", "不是有效的 JSON")]
    [InlineData("{\"name\": \"x\", \"tags\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}", "tags", "嵌套层数过多")]
    public async Task Broken_json_is_described_in_chinese_by_what_is_wrong_with_it(string json, string field, string says)
    {
        using var response = await service.Client.PostAsync("/orders", Json(json));

        var problem = await ProblemOf(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        var message = string.Join(" ", errors.EnumerateObject().SelectMany(e => e.Value.EnumerateArray()).Select(m => m.GetString()));
        Assert.True(message.Contains(says, StringComparison.Ordinal), problem.ToString());
        Assert.True(errors.EnumerateObject().Any(e => e.Name.StartsWith(field, StringComparison.Ordinal)), problem.ToString());
    }

    [Fact]
    public async Task A_query_value_that_is_not_a_date_is_a_chinese_400_naming_the_parameter_without_type_names()
    {
        using var response = await service.Client.GetAsync("/days?from=bad");

        var problem = await ProblemOf(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("from", out _), problem.ToString());
        Assert.DoesNotContain("DateOnly", problem.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Failed to bind", problem.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"name\": \"a\\u0000b\", \"quantity\": 1}", "name")]
    [InlineData("{\"name\": \"a\\ud800b\", \"quantity\": 1}", "name")]
    [InlineData("{\"name\": \"invoice\\u202Efdp.exe\", \"quantity\": 1}", "name")]
    [InlineData("{\"name\": \"x\", \"quantity\": 1, \"tags\": [\"ok\", \"bell\\u0007\"]}", "tags[1]")]
    public async Task Nul_lone_surrogates_control_and_bidi_characters_in_a_json_body_are_a_400_naming_the_field(string json, string field)
    {
        using var response = await service.Client.PostAsync("/orders", Json(json));

        var problem = await ProblemOf(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task A_nul_in_a_query_value_is_a_400_naming_the_parameter()
    {
        using var response = await service.Client.GetAsync("/days?from=2026-01-01&note=a%00b");

        var problem = await ProblemOf(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("note", out _), problem.ToString());
    }

    [Fact]
    public async Task A_date_in_the_year_9999_is_a_400_naming_the_field()
    {
        using var response = await service.Client.PostAsync("/periods", Json("{\"from\": \"9999-12-01\"}"));

        var problem = await ProblemOf(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("from", out _), problem.ToString());
    }

    [Fact]
    public async Task Wrong_type_is_400_problem_naming_the_field()
    {
        using var response = await service.Client.PostAsync("/orders", Json("{\"name\": \"x\", \"quantity\": \"many\"}"));

        var problem = await ProblemOf(response, HttpStatusCode.BadRequest);
        Assert.Contains("quantity", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Missing_body_is_400_problem()
    {
        using var response = await service.Client.PostAsync("/orders", Json(""));

        await ProblemOf(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Wrong_content_type_is_415_problem()
    {
        using var response = await service.Client.PostAsync("/orders", new StringContent("name=x", Encoding.UTF8, "text/plain"));

        await ProblemOf(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Unhandled_exception_is_500_problem_without_internals_but_with_correlation_id()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/boom");
        request.Headers.Add("X-Correlation-Id", "support-ticket-42");

        using var response = await service.Client.SendAsync(request);

        var problem = await ProblemOf(response, HttpStatusCode.InternalServerError);
        var text = problem.ToString();
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", text, StringComparison.Ordinal);
        Assert.Equal("support-ticket-42", problem.GetProperty("correlationId").GetString());
    }

    [Fact]
    public async Task Domain_failures_keep_their_status_and_message()
    {
        using var notFound = await service.Client.GetAsync("/orders/7");
        Assert.Equal("Order 7 does not exist.", (await ProblemOf(notFound, HttpStatusCode.NotFound)).GetProperty("detail").GetString());

        using var conflict = await service.Client.GetAsync("/conflict");
        await ProblemOf(conflict, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Validation_failure_lists_the_fields()
    {
        using var response = await service.Client.PostAsync("/validate", null);

        var problem = await ProblemOf(response, HttpStatusCode.BadRequest);
        Assert.Equal("Quantity must be at least 1.", problem.GetProperty("errors").GetProperty("quantity")[0].GetString());
    }

    [Fact]
    public async Task Unknown_route_is_404_problem()
    {
        using var response = await service.Client.GetAsync("/nowhere");

        await ProblemOf(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Health_endpoints_report_json()
    {
        using var live = await service.Client.GetAsync("/health/live");
        using var ready = await service.Client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", (await live.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task OpenApi_document_describes_the_endpoints_and_bearer_scheme()
    {
        using var response = await service.Client.GetAsync("/openapi/v1.json");

        var document = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Test service", document.GetProperty("info").GetProperty("title").GetString());
        Assert.True(document.GetProperty("paths").TryGetProperty("/orders", out _));
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("bearer", out _));
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ProblemOf(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.True(response.Headers.Contains("X-Correlation-Id"));
        return problem;
    }
}
