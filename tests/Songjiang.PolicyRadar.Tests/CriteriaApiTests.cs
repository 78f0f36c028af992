using Songjiang.Testing;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Songjiang.PolicyRadar.Tests;

public sealed class CriteriaApiTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    [Fact]
    public async Task Officer_checks_a_draft_against_a_sample_enterprise_and_gets_the_explained_verdict()
    {
        var body = new
        {
            criteria = JsonDocument.Parse("""{ "all": [ { "field": "employees", "op": "lte", "value": 100 }, { "field": "rdRatio", "op": "gte", "value": 0.05 } ] }""").RootElement,
            enterprise = new
            {
                uscc = "91310117MA1J3GKL0Q", location = "guangfulin", industryCode = "I6513", foundedOn = "2019-06-18", employees = 86,
                annualRevenue = 6800, rdSpending = 300, sizeClass = "Small", isListed = false, stage = "Operating", creditRating = "A",
                qualifications = Array.Empty<object>(),
            },
            on = "2026-11-28",
        };

        using var response = await PostAsync(await platform.UserTokenAsync("scj-reviewer"), body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var verdict = (await PlatformFixture.JsonOf(response)).GetProperty("verdict");
        Assert.False(verdict.GetProperty("eligible").GetBoolean());
        Assert.True(verdict.GetProperty("isNearMiss").GetBoolean());
        Assert.Equal("$.all[1]", verdict.GetProperty("missing")[0].GetProperty("path").GetString());
    }

    [Fact]
    public async Task Invalid_draft_is_400_naming_each_clause()
    {
        var body = new { criteria = JsonDocument.Parse("""{ "all": [ { "field": "employees", "op": "like", "value": 1 }, { "field": "x", "op": "eq", "value": 1 } ] }""").RootElement };

        using var response = await PostAsync(await platform.UserTokenAsync("admin"), body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await PlatformFixture.JsonOf(response)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("criteria.all[0]", out _));
        Assert.True(errors.TryGetProperty("criteria.all[1]", out _));
    }

    [Fact]
    public async Task Enterprises_cannot_use_the_officers_tool()
    {
        using var response = await PostAsync(await platform.UserTokenAsync("ent-zhisuan"),
            new { criteria = JsonDocument.Parse("""{ "field": "employees", "op": "gte", "value": 1 }""").RootElement });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private Task<HttpResponseMessage> PostAsync(string token, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/policyradar/criteria/check") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return platform.Gateway.SendAsync(request);
    }
}
