using Songjiang.Testing;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Songjiang.Enterprises.Tests;

public sealed class EnterpriseProfileTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    private const string Zhisuan = "91310117MA1J3GKL0Q";
    private const string G60Bio = "91310117MA1H8BXR2W";

    [Fact]
    public async Task Enterprise_reads_its_own_profile_with_derived_size_class()
    {
        var token = await platform.UserTokenAsync("ent-zhisuan");

        using var response = await platform.GetAsync("/api/enterprises/me", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var profile = await PlatformFixture.JsonOf(response);
        Assert.Equal(Zhisuan, profile.GetProperty("uscc").GetString());
        Assert.Equal("Small", profile.GetProperty("sizeClass").GetString());
        Assert.Equal("松江区广富林街道", profile.GetProperty("locationName").GetString());
    }

    [Fact]
    public async Task Enterprise_cannot_read_another_enterprises_profile_or_list_all()
    {
        var token = await platform.UserTokenAsync("ent-zhisuan");

        using var other = await platform.GetAsync($"/api/enterprises/{G60Bio}", token);
        using var timeline = await platform.GetAsync($"/api/enterprises/{G60Bio}/timeline", token);
        using var credit = await platform.GetAsync($"/api/enterprises/{G60Bio}/credit", token);
        using var list = await platform.GetAsync("/api/enterprises/", token);

        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, timeline.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, credit.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
    }

    [Fact]
    public async Task Caseworker_lists_with_filters_and_paging()
    {
        var token = await platform.UserTokenAsync("tax-reviewer");

        using var response = await platform.GetAsync("/api/enterprises/?location=xinqiao&pageSize=1", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await PlatformFixture.JsonOf(response);
        Assert.Equal(1, page.GetProperty("pageSize").GetInt32());
        Assert.Equal(G60Bio, page.GetProperty("items")[0].GetProperty("uscc").GetString());
    }

    [Fact]
    public async Task Enterprise_updates_its_statistics_but_not_its_registered_details()
    {
        var token = await platform.UserTokenAsync("ent-g60bio");

        using var allowed = await SendAsync(HttpMethod.Patch, $"/api/enterprises/{G60Bio}", token, new { employees = 450, contactEmail = "ir@g60bio.example.cn" });
        using var refused = await SendAsync(HttpMethod.Patch, $"/api/enterprises/{G60Bio}", token, new { name = "改名公司", employees = 460 });

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(450, (await PlatformFixture.JsonOf(allowed)).GetProperty("employees").GetInt32());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("企业名称", (await PlatformFixture.JsonOf(refused)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var after = await platform.GetAsync("/api/enterprises/me", token);
        Assert.Equal(450, (await PlatformFixture.JsonOf(after)).GetProperty("employees").GetInt32());
    }

    [Fact]
    public async Task Enterprise_cannot_change_another_enterprise()
    {
        var token = await platform.UserTokenAsync("ent-zhisuan");

        using var response = await SendAsync(HttpMethod.Patch, $"/api/enterprises/{G60Bio}", token, new { employees = 1 });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Caseworker_of_another_department_cannot_change_registered_details()
    {
        var token = await platform.UserTokenAsync("hr-approver");

        using var response = await SendAsync(HttpMethod.Patch, $"/api/enterprises/{Zhisuan}", token, new { registeredAddress = "别处" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Market_regulation_changes_are_audited_with_actor_and_values()
    {
        var token = await platform.UserTokenAsync("scj-approver");

        using var response = await SendAsync(HttpMethod.Patch, $"/api/enterprises/{Zhisuan}", token, new { registeredCapital = 3000m });
        using var timeline = await platform.GetAsync($"/api/enterprises/{Zhisuan}/timeline", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entry = (await PlatformFixture.JsonOf(timeline)).EnumerateArray().First(e => e.GetProperty("action").GetString() == "profile-updated");
        var changes = JsonDocument.Parse(entry.GetProperty("changes").GetString()!).RootElement.GetProperty("registeredCapital");
        Assert.Equal(3000m, changes.GetProperty("to").GetDecimal());
        Assert.NotEqual("unknown", entry.GetProperty("actor").GetString());
    }

    [Fact]
    public async Task Stale_if_match_is_a_conflict_and_changes_nothing()
    {
        var token = await platform.UserTokenAsync("scj-approver");

        using var response = await SendAsync(HttpMethod.Patch, $"/api/enterprises/{G60Bio}", token, new { isListed = false },
            ifMatch: "\"00000000000000000000000000000000\"");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        using var after = await platform.GetAsync($"/api/enterprises/{G60Bio}", token);
        Assert.True((await PlatformFixture.JsonOf(after)).GetProperty("isListed").GetBoolean());
    }

    [Theory]
    [InlineData("91310117MA1J3GKL0A", "check character")]
    [InlineData("91310117MA1J3GK", "18 characters")]
    [InlineData("91310117MA1J3GKI0Q", "not allowed")]
    public async Task Registration_with_an_invalid_uscc_is_400_naming_the_reason(string uscc, string reason)
    {
        var token = await platform.UserTokenAsync("scj-clerk");

        using var response = await SendAsync(HttpMethod.Post, "/api/enterprises/", token, NewEnterprise(uscc));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await PlatformFixture.JsonOf(response)).GetProperty("errors");
        Assert.Contains(reason, errors.GetProperty("uscc")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registration_reports_every_invalid_field_and_writes_nothing()
    {
        var token = await platform.UserTokenAsync("scj-clerk");

        using var response = await SendAsync(HttpMethod.Post, "/api/enterprises/", token,
            new { uscc = "91320594MA1P6Q7N11", name = "", location = "nowhere", industryCode = "Z99", employees = -3, foundedOn = "2099-01-01" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await PlatformFixture.JsonOf(response)).GetProperty("errors");
        foreach (var field in new[] { "name", "location", "industryCode", "employees", "foundedOn", "legalRepresentative" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"{field} should be reported");
        }
        using var lookup = await platform.GetAsync("/api/enterprises/91320594MA1P6Q7N11", token);
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task Registration_by_market_regulation_then_duplicate_is_409()
    {
        var token = await platform.UserTokenAsync("scj-clerk");

        using var created = await SendAsync(HttpMethod.Post, "/api/enterprises/", token, NewEnterprise("91330402MA2JD3UK9N"));
        using var duplicate = await SendAsync(HttpMethod.Post, "/api/enterprises/", token, NewEnterprise("91330402MA2JD3UK9N"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
    }

    [Fact]
    public async Task Registration_by_an_enterprise_or_another_department_is_refused()
    {
        using var byEnterprise = await SendAsync(HttpMethod.Post, "/api/enterprises/", await platform.UserTokenAsync("ent-zhisuan"), NewEnterprise("91310117MA1H8BXR2W"));
        using var byTax = await SendAsync(HttpMethod.Post, "/api/enterprises/", await platform.UserTokenAsync("tax-clerk"), NewEnterprise("91310117MA1H8BXR2W"));

        Assert.Equal(HttpStatusCode.Forbidden, byEnterprise.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byTax.StatusCode);
    }

    [Fact]
    public async Task Malformed_json_and_wrong_types_are_400_problems()
    {
        var token = await platform.UserTokenAsync("scj-clerk");

        using var malformed = await SendRawAsync($"/api/enterprises/{Zhisuan}", token, "{\"employees\": ");
        using var wrongType = await SendRawAsync($"/api/enterprises/{Zhisuan}", token, "{\"employees\": \"many\"}");

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Contains("employees", (await PlatformFixture.JsonOf(wrongType)).GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    internal static object NewEnterprise(string uscc) => new
    {
        uscc, name = "嘉兴测试科技有限公司", legalRepresentative = "王五", registeredAddress = "浙江省嘉兴市南湖区",
        location = "330400", industryCode = "I6513", registeredCapital = 500m, foundedOn = "2024-01-10",
        employees = 12, annualRevenue = 300m, rdSpending = 40m,
    };

    internal Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, object body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return platform.Gateway.SendAsync(request);
    }

    private Task<HttpResponseMessage> SendRawAsync(string path, string token, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return platform.Gateway.SendAsync(request);
    }
}
