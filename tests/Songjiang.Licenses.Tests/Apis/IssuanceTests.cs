using Songjiang.Licenses.Tests.Support;
using Songjiang.Testing;
using System.Net;
using System.Text.Json;

namespace Songjiang.Licenses.Tests.Apis;

public sealed class IssuanceTests(LicensesFixture platform)
{
    [Fact]
    public async Task An_approver_issues_a_sealed_business_licence_with_gb_t_36901_metadata()
    {
        using var response = await platform.SendAsync(HttpMethod.Post, "/api/licenses", "scj-approver",
            LicensesFixture.BusinessLicence(LicensesFixture.Zhisuan, "上海松江智算科技有限公司"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await PlatformFixture.JsonOf(response);
        var licence = body.GetProperty("licence");
        Assert.Matches("^YYZZ-310117-\\d{4}-[0-9A-Z]{8}$", licence.GetProperty("number").GetString());
        Assert.Equal("active", licence.GetProperty("status").GetString());
        Assert.False(licence.TryGetProperty("validUntil", out _)); // 营业执照: long-term

        var payload = body.GetProperty("document").GetProperty("licence");
        Assert.Equal("business-licence", payload.GetProperty("type").GetProperty("code").GetString());
        Assert.Equal(LicensesFixture.Zhisuan, payload.GetProperty("holder").GetProperty("identifier").GetString());
        Assert.Equal(LicensesFixture.MarketRegulation, payload.GetProperty("issuer").GetProperty("code").GetString());
        Assert.Equal("310117", payload.GetProperty("issuer").GetProperty("divisionCode").GetString());
        Assert.Equal(1000, payload.GetProperty("fields").GetProperty("registeredCapitalTenThousandYuan").GetDouble());
        Assert.Equal(licence.GetProperty("statusListIndex").GetInt32(),
            payload.GetProperty("credentialStatus").GetProperty("statusListIndex").GetInt32());
        Assert.Equal(JsonValueKind.Null, payload.GetProperty("validUntil").ValueKind);
        var seal = body.GetProperty("document").GetProperty("seal");
        Assert.Equal("SM2-SM3", seal.GetProperty("alg").GetString());
        Assert.Equal("1234567812345678", seal.GetProperty("signerId").GetString());
    }

    [Fact]
    public async Task Repeating_an_application_returns_the_same_licence_instead_of_a_second()
    {
        var applicationId = "SJ-APP-" + Guid.NewGuid().ToString("N");
        var request = LicensesFixture.BusinessLicence(LicensesFixture.G60Bio, "上海G60生物医药有限公司", applicationId);

        var responses = await Task.WhenAll(Enumerable.Range(0, 4)
            .Select(_ => platform.SendAsync(HttpMethod.Post, "/api/licenses", "scj-approver", request)));
        var numbers = new List<string>();
        foreach (var response in responses)
        {
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            numbers.Add((await PlatformFixture.JsonOf(response)).GetProperty("licence").GetProperty("number").GetString()!);
            response.Dispose();
        }

        Assert.Single(numbers.Distinct());
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        using var list = await platform.SendAsync(HttpMethod.Get, $"/api/licenses?holder={LicensesFixture.G60Bio}&pageSize=100", "admin");
        var items = (await PlatformFixture.JsonOf(list)).GetProperty("items").EnumerateArray();
        Assert.Single(items, item => item.TryGetProperty("applicationId", out var id) && id.GetString() == applicationId);
    }

    [Fact]
    public async Task The_same_application_for_another_holder_is_a_conflict()
    {
        var applicationId = "SJ-APP-" + Guid.NewGuid().ToString("N");
        await platform.IssueBusinessLicenceAsync(applicationId: applicationId);

        using var response = await platform.SendAsync(HttpMethod.Post, "/api/licenses", "scj-approver",
            LicensesFixture.BusinessLicence(LicensesFixture.G60Bio, "上海G60生物医药有限公司", applicationId));

        await AssertProblem(response, HttpStatusCode.Conflict, null);
    }

    [Theory]
    [InlineData("scj-reviewer")]   // not an approver
    [InlineData("tax-approver")]   // an approver of a department that does not issue business licences
    public async Task Only_an_approver_of_the_issuing_authority_may_issue(string user)
    {
        using var response = await platform.SendAsync(HttpMethod.Post, "/api/licenses", user,
            LicensesFixture.BusinessLicence(LicensesFixture.Zhisuan, "上海松江智算科技有限公司"));

        await AssertProblem(response, HttpStatusCode.Forbidden, null);
    }

    [Fact]
    public async Task An_enterprise_cannot_issue_itself_a_licence()
    {
        using var response = await platform.SendAsync(HttpMethod.Post, "/api/licenses", "ent-zhisuan",
            LicensesFixture.BusinessLicence(LicensesFixture.Zhisuan, "上海松江智算科技有限公司"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    public static TheoryData<string, string> BadRequests => new()
    {
        { """{"typeCode":"NOPE","holder":{"name":"x","uscc":"91310117MA1J3GKL0Q"}}""", "typeCode" },
        { """{"typeCode":"business-licence","holder":{"name":"x","uscc":"91310117MA1J3GKL0A"},"fields":{}}""", "holder.uscc" },
        { """{"typeCode":"business-licence","holder":{"uscc":"91310117MA1J3GKL0Q"},"fields":{}}""", "holder.name" },
        { """{"typeCode":"business-licence","holder":{"name":"x","uscc":"91310117MA1J3GKL0Q"},"fields":{}}""", "fields.legalRepresentative" },
        { """{"typeCode":"business-licence","holder":{"name":"x","uscc":"91310117MA1J3GKL0Q"},"fields":{"entityType":"外星公司"}}""", "fields.entityType" },
        { """{"typeCode":"business-licence","holder":{"name":"x","uscc":"91310117MA1J3GKL0Q"},"fields":{"establishedOn":"15/03/2021"}}""", "fields.establishedOn" },
        { """{"typeCode":"business-licence","holder":{"name":"x","uscc":"91310117MA1J3GKL0Q"},"fields":{"registeredCapitalTenThousandYuan":"many"}}""", "fields.registeredCapitalTenThousandYuan" },
        { """{"typeCode":"business-licence","holder":{"name":"x","uscc":"91310117MA1J3GKL0Q"},"fields":{"shoeSize":42}}""", "fields.shoeSize" },
        { """{"typeCode":"food-business-licence","holder":{"name":"x","uscc":"91310117MA1J3GKL0Q"},"fields":{},"validFrom":"2026-01-10","validUntil":"2026-01-01"}""", "validUntil" },
        { """{"typeCode":"business-licence","validFrom":"not-a-date"}""", "validFrom" },
        { """{"typeCode":"business-licence",""", "" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_is_a_400_problem_naming_the_field_and_stores_nothing(string body, string field)
    {
        using var response = await platform.SendAsync(HttpMethod.Post, "/api/licenses", "scj-approver", body);

        await AssertProblem(response, HttpStatusCode.BadRequest, field);
        // Every bad request names the holder "x": none of them may have left a licence behind.
        using var after = await platform.SendAsync(HttpMethod.Get, $"/api/licenses?holder={LicensesFixture.Zhisuan}&pageSize=100", "admin");
        Assert.DoesNotContain((await PlatformFixture.JsonOf(after)).GetProperty("items").EnumerateArray(),
            item => item.GetProperty("holderName").GetString() == "x");
    }

    [Fact]
    public async Task Licence_types_are_published_with_their_fields()
    {
        using var response = await platform.SendAsync(HttpMethod.Get, "/api/licenses/public/types", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var types = (await PlatformFixture.JsonOf(response)).EnumerateArray().ToList();
        Assert.Contains(types, t => t.GetProperty("name").GetString() == "营业执照");
        Assert.Contains(types, t => t.GetProperty("name").GetString() == "食品经营许可证");
        Assert.Contains(types, t => t.GetProperty("name").GetString() == "公共场所卫生许可证");
        Assert.Contains(types, t => t.GetProperty("name").GetString() == "建设工程规划许可证");
    }

    [Fact]
    public async Task The_openapi_document_describes_the_licence_api()
    {
        using var response = await platform.SendAsync(HttpMethod.Get, "/openapi/licenses.json", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = (await PlatformFixture.JsonOf(response)).GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/licenses/public/verify", out _));
        Assert.True(paths.TryGetProperty("/api/licenses/{number}/revoke", out _));
        Assert.True(paths.TryGetProperty("/api/licenses/public/status-lists/{purpose}", out _));
    }

    internal static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string? field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        if (field is { Length: > 0 })
        {
            Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _)
                || problem.GetProperty("detail").GetString()!.Contains(field, StringComparison.OrdinalIgnoreCase),
                $"the problem does not name {field}: {text}");
        }
    }
}
