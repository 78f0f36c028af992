using Songjiang.Testing;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Songjiang.EndToEnd.Tests.Hardening;

/// <summary>
/// Odd bytes and out-of-range values are the caller's mistake: a 400 problem that names the field, never a 5xx, on
/// either database.
/// </summary>
public abstract class OddInputTests(PlatformFixture platform)
{
    private readonly CaseDriver _cases = new(platform);

    /// <summary>Skips where this fixture's database is not available.</summary>
    protected abstract void RequireServer();

    private async Task<HttpResponseMessage> SendJsonAsync(string user, HttpMethod method, string path, string json) =>
        await _cases.SendAsync(user, method, path, new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task AssertNamesFieldAsync(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400 naming {field}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
    }

    [Fact]
    public async Task A_nul_in_a_search_query_is_a_400_naming_the_parameter()
    {
        RequireServer();
        using var policies = await platform.Gateway.GetAsync("/api/policyradar/search?q=%E7%A0%94%00%E5%8F%91");
        await AssertNamesFieldAsync(policies, "q");

        using var applications = await _cases.SendAsync("ent-zhisuan", HttpMethod.Get, "/api/cases/applications?q=a%00b");
        await AssertNamesFieldAsync(applications, "q");

        using var matters = await platform.Gateway.GetAsync("/api/catalog/matters/?q=%00");
        await AssertNamesFieldAsync(matters, "q");
    }

    [Fact]
    public async Task A_nul_in_an_upload_name_is_a_400_naming_the_file()
    {
        RequireServer();
        var file = new ByteArrayContent(CaseDriver.Pdf);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        file.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileNameStar = "材料\0.pdf" };
        using var response = await _cases.SendAsync("ent-zhisuan", HttpMethod.Post, "/api/cases/uploads", new MultipartFormDataContent { file });
        await AssertNamesFieldAsync(response, "file");
    }

    [Fact]
    public async Task A_nul_in_a_contact_e_mail_or_a_policy_title_is_a_400_naming_the_field()
    {
        RequireServer();
        using var email = await SendJsonAsync("ent-g60bio", HttpMethod.Patch, $"/api/enterprises/{CaseDriver.G60Bio}",
            """{ "contactEmail": "ir\u0000@g60bio.example.cn" }""");
        await AssertNamesFieldAsync(email, "contactEmail");

        using var title = await SendJsonAsync("kw-clerk", HttpMethod.Post, "/api/policyradar/manage/policies/", PolicyJson("\"算力券\\u0000办法\"", "1"));
        await AssertNamesFieldAsync(title, "title");

        using var surrogate = await SendJsonAsync("kw-clerk", HttpMethod.Post, "/api/policyradar/manage/policies/", PolicyJson("\"算力券\\ud800办法\"", "1"));
        await AssertNamesFieldAsync(surrogate, "title");
    }

    [Fact]
    public async Task A_huge_or_nul_matter_or_bundle_code_is_a_400_not_a_503()
    {
        RequireServer();
        foreach (var (field, code) in new[]
        {
            ("matterCode", new string('A', 10_000)), ("matterCode", "SJ-RS-002\\u0000"),
            ("bundleCode", new string('B', 10_000)), ("bundleCode", "YJS-QYKB\\u0000"),
        })
        {
            using var response = await SendJsonAsync("ent-zhisuan", HttpMethod.Post, "/api/cases/applications",
                $$"""{ "{{field}}": "{{code}}", "form": { "uscc": "{{CaseDriver.Zhisuan}}" } }""");
            await AssertNamesFieldAsync(response, field);
        }
    }

    [Fact]
    public async Task A_criteria_value_beyond_any_number_is_a_400_naming_the_clause()
    {
        RequireServer();
        foreach (var number in new[] { "1e30", "1e400", "-1e30" })
        {
            using var response = await SendJsonAsync("kw-clerk", HttpMethod.Post, "/api/policyradar/manage/policies/", PolicyJson("\"大数测试\"", number));
            await AssertNamesFieldAsync(response, "criteria.all[0]");
        }
    }

    [Fact]
    public async Task A_licence_dated_in_the_year_9999_is_a_400_naming_valid_from()
    {
        RequireServer();
        using var response = await SendJsonAsync("scj-approver", HttpMethod.Post, "/api/licenses", $$"""
            {
              "typeCode": "business-licence", "holder": { "name": "上海松江智算科技有限公司", "uscc": "{{CaseDriver.Zhisuan}}" },
              "fields": { "legalRepresentative": "张明", "entityType": "有限责任公司", "registeredCapitalTenThousandYuan": 1000,
                "establishedOn": "2021-03-15", "address": "上海市松江区新桥镇新飞路1500号", "businessScope": "技术服务。" },
              "validFrom": "9999-12-01"
            }
            """);
        await AssertNamesFieldAsync(response, "validFrom");
    }

    private static string PolicyJson(string titleJson, string employees) => $$"""
        {
          "title": {{titleJson}}, "issuingBody": "区科委", "level": "Songjiang", "documentNumber": "松科〔2026〕99号",
          "effectiveFrom": "2026-01-01", "fullText": "为支持企业发展，制定本办法。", "benefitType": "subsidy",
          "criteria": { "all": [ { "field": "employees", "op": "gte", "value": {{employees}} } ] }
        }
        """;
}

[Collection(HardeningOnSqlite.Name)]
public sealed class OddInputOnSqliteTests(PlatformFixture platform) : OddInputTests(platform)
{
    protected override void RequireServer()
    {
    }
}

[Collection(HardeningOnPostgres.Name)]
public sealed class OddInputOnPostgresTests(PostgresPlatformFixture platform) : OddInputTests(platform)
{
    protected override void RequireServer() => _ = TestServers.Postgres;
}
