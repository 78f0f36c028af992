using Songjiang.Testing;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Songjiang.Gateway.Tests;

/// <summary>
/// Every error through the gateway is problem details whatever the caller accepts, and none shows the code that
/// failed (the fixture runs in Development, where the framework would show its exception page).
/// </summary>
public sealed class ErrorResponseTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    public static TheoryData<string> Accepts => ["text/html", "text/html, application/xhtml+xml, */*;q=0.8", "application/xml", "text/plain"];

    [Theory]
    [MemberData(nameof(Accepts))]
    public async Task A_missing_matter_is_a_404_problem(string accept)
    {
        using var response = await SendAsync("/api/catalog/matters/NO-SUCH-MATTER", accept, token: null);

        await ProblemOf(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(Accepts))]
    public async Task A_missing_application_is_a_404_problem(string accept)
    {
        var token = await platform.UserTokenAsync("ent-zhisuan");

        using var response = await SendAsync("/api/cases/applications/SJ-NO-SUCH-NUMBER", accept, token);

        await ProblemOf(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(Accepts))]
    public async Task A_route_the_gateway_does_not_know_is_a_404_problem(string accept)
    {
        using var response = await SendAsync("/api/nowhere/at-all", accept, token: null);

        await ProblemOf(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(Accepts))]
    public async Task A_call_without_a_token_is_a_401_problem(string accept)
    {
        using var response = await SendAsync("/api/cases/applications", accept, token: null);

        await ProblemOf(response, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(Accepts))]
    public async Task A_malformed_body_is_a_400_problem(string accept)
    {
        var token = await platform.UserTokenAsync("ent-zhisuan");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases/applications")
        {
            Content = new StringContent("{\"matterCode\": ", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Accept", accept);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await platform.Gateway.SendAsync(request);

        await ProblemOf(response, HttpStatusCode.BadRequest);
    }

    private Task<HttpResponseMessage> SendAsync(string path, string accept, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return platform.Gateway.SendAsync(request);
    }

    private static async Task ProblemOf(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, JsonDocument.Parse(text).RootElement.GetProperty("status").GetInt32());
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain(".cs:line", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", text, StringComparison.Ordinal);
    }
}
