using Songjiang.Enterprises.Api.Clients;
using Microsoft.Extensions.DependencyInjection;
using Songjiang.Enterprises.Api.Features;
using Songjiang.Enterprises.Api.Infrastructure;
using Songjiang.Testing;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Songjiang.Enterprises.Tests;

public sealed class RecommendationTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    private const string Uscc = "91320594MA1P6Q7N11";

    [Fact]
    public async Task A_young_software_firm_is_recommended_what_it_needs_next_with_reasons_and_names_from_the_catalog()
    {
        var clerk = await platform.UserTokenAsync("scj-clerk");
        var foundedOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-30)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using (var registered = await SendAsync(HttpMethod.Post, "/api/enterprises/", clerk, new
        {
            uscc = Uscc, name = "苏州G60软件有限公司", legalRepresentative = "周八", registeredAddress = "江苏省苏州市工业园区",
            location = "320500", industryCode = "I6513", registeredCapital = 300m, foundedOn, employees = 12, annualRevenue = 800m, rdSpending = 100m,
        }))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        var codes = await RecommendedAsync(clerk);

        Assert.Contains("SJ-RS-001", codes.Keys);     // social insurance within 30 days of founding
        Assert.Contains("SJ-SW-001", codes.Keys);     // invoices
        Assert.Contains("SJ-SW-002", codes.Keys);     // general taxpayer above 500 万元
        Assert.Contains("SJ-KW-002", codes.Keys);     // tech SME
        Assert.DoesNotContain("SJ-KW-001", codes.Keys);   // high-tech needs a year of operation
        var insurance = codes["SJ-RS-001"];
        Assert.Equal("单位社会保险参保登记", insurance.GetProperty("name").GetString());
        Assert.Contains("社会保险登记", insurance.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains(insurance.GetProperty("because").EnumerateArray(), fact => fact.GetString()!.StartsWith("成立于", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_held_qualification_removes_its_recommendation()
    {
        var approver = await platform.UserTokenAsync("scj-approver");
        const string holder = "91310117MA1J3GKL0Q";
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        using (var added = await SendAsync(HttpMethod.Post, $"/api/enterprises/{holder}/qualifications", approver, new
        {
            kind = "high-tech", certificateNumber = "GR202631009999",
            validFrom = today.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            validUntil = today.AddYears(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        }))
        {
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        }

        using var response = await platform.GetAsync($"/api/enterprises/{holder}/recommendations", approver);

        var codes = (await PlatformFixture.JsonOf(response)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("code").GetString());
        Assert.DoesNotContain("SJ-KW-001", codes);
    }

    [Fact]
    public async Task Another_enterprises_recommendations_are_not_found()
    {
        var token = await platform.UserTokenAsync("ent-g60bio");

        using var response = await platform.GetAsync("/api/enterprises/91310117MA1J3GKL0Q/recommendations", token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<Dictionary<string, JsonElement>> RecommendedAsync(string token)
    {
        using var response = await platform.GetAsync($"/api/enterprises/{Uscc}/recommendations", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var list = await PlatformFixture.JsonOf(response);
        Assert.True(list.GetProperty("catalogAvailable").GetBoolean());
        return list.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("code").GetString()!, i => i);
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, object body)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return platform.Gateway.SendAsync(request);
    }

    [Fact]
    public async Task The_shipped_rules_name_only_catalog_entries_and_the_licences_their_matters_really_yield()
    {
        var check = platform.Host.Application("enterprises").Services.GetRequiredService<RecommendationRulesCheck>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (check.Problems is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.NotNull(check.Problems);
        Assert.Empty(check.Problems);
    }

    [Fact]
    public async Task A_rule_waiting_for_a_licence_its_matter_does_not_yield_is_a_dangling_reference()
    {
        var services = platform.Host.Application("enterprises").Services;
        await using var scope = services.CreateAsyncScope();
        var catalog = scope.ServiceProvider.GetRequiredService<CatalogClient>();
        RecommendationRule[] rules =
        [
            new("hygiene", new RecommendationTarget("matter", "SJ-WJ-001"), new RuleConditions(LacksQualification: "licence:public-health-licence"), "卫生许可"),
            new("nowhere", new RecommendationTarget("matter", "SJ-NONE-404"), new RuleConditions(), "不存在"),
        ];

        var problems = await RecommendationRulesCheck.ProblemsAsync(rules, (kind, code) => catalog.FindAsync(kind, code, CancellationToken.None));

        Assert.Equal(2, problems.Count);
        Assert.Contains("public-place-hygiene-licence", problems[0], StringComparison.Ordinal);
        Assert.Contains("SJ-NONE-404", problems[1], StringComparison.Ordinal);
    }
}
