using Songjiang.Testing;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Songjiang.Catalog.Tests;

public sealed class CatalogTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    [Fact]
    public async Task Anyone_browses_the_seeded_catalog_across_departments()
    {
        using var response = await platform.Gateway.GetAsync("/api/catalog/matters/?pageSize=100");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await PlatformFixture.JsonOf(response);
        Assert.True(page.GetProperty("total").GetInt32() >= 20);
        var departments = page.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("department").GetString()).ToHashSet();
        foreach (var department in new[] { "market-regulation", "tax", "human-resources", "housing-construction", "health", "ecology-environment" })
        {
            Assert.Contains(department, departments);
        }
    }

    [Theory]
    [InlineData("?department=tax", "SJ-SW-001")]
    [InlineData("?mode=Commitment", "SJ-SCJ-004")]
    [InlineData("?q=%E6%B3%A8%E9%94%80", "SJ-SCJ-003")]   // 注销
    [InlineData("?city=330400", "SJ-SCJ-006")]
    public async Task Matters_are_searched_by_department_mode_keyword_and_partner_city(string query, string expected)
    {
        using var response = await platform.Gateway.GetAsync("/api/catalog/matters/" + query);

        var codes = (await PlatformFixture.JsonOf(response)).GetProperty("items").EnumerateArray().Select(m => m.GetProperty("code").GetString()).ToList();
        Assert.Contains(expected, codes);
    }

    [Fact]
    public async Task Partner_city_filter_excludes_matters_not_open_to_that_city()
    {
        using var response = await platform.Gateway.GetAsync("/api/catalog/matters/?city=341800&pageSize=100");

        var codes = (await PlatformFixture.JsonOf(response)).GetProperty("items").EnumerateArray().Select(m => m.GetProperty("code").GetString()).ToList();
        Assert.DoesNotContain("SJ-SCJ-006", codes);   // open to four cities only
        Assert.Contains("SJ-SCJ-001", codes);         // open to all
        Assert.DoesNotContain("SJ-SCJ-004", codes);   // not cross-province
    }

    [Fact]
    public async Task Matter_detail_names_its_law_limits_materials_and_form()
    {
        using var response = await platform.Gateway.GetAsync("/api/catalog/matters/SJ-SCJ-004");

        var matter = await PlatformFixture.JsonOf(response);
        Assert.Equal("食品经营许可", matter.GetProperty("name").GetString());
        Assert.Contains("食品安全法", matter.GetProperty("legalBasis")[0].GetString(), StringComparison.Ordinal);
        Assert.True(matter.GetProperty("promisedLimitDays").GetInt32() <= matter.GetProperty("statutoryLimitDays").GetInt32());
        var licence = matter.GetProperty("materials").EnumerateArray().Single(m => m.GetProperty("code").GetString() == "licence");
        Assert.Equal("business-licence", licence.GetProperty("acceptedLicenceTypes")[0].GetString());
        Assert.Equal("object", matter.GetProperty("formSchema").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Business_start_up_bundle_fans_out_to_five_departments()
    {
        using var response = await platform.Gateway.GetAsync("/api/catalog/bundles/YJS-QYKB");
        using var all = await platform.Gateway.GetAsync("/api/catalog/bundles/");

        var bundle = await PlatformFixture.JsonOf(response);
        Assert.Equal("企业开办一件事", bundle.GetProperty("name").GetString());
        Assert.Equal(5, bundle.GetProperty("matters").GetArrayLength());
        Assert.Equal(5, bundle.GetProperty("departments").GetArrayLength());
        Assert.True((await PlatformFixture.JsonOf(all)).GetArrayLength() >= 3);
    }

    [Fact]
    public async Task Form_check_names_every_failing_field()
    {
        var form = new { companyName = "", registeredCapital = -5, registeredAddress = "上海市松江区", businessScope = "软件开发", unexpected = 1 };

        using var response = await platform.Gateway.PostAsJsonAsync("/api/catalog/matters/SJ-SCJ-001/form-check", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await PlatformFixture.JsonOf(response)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("/companyName", out _));
        Assert.True(errors.TryGetProperty("/registeredCapital", out _));
        Assert.True(errors.TryGetProperty("/legalRepresentative", out _));
    }

    [Fact]
    public async Task Form_check_errors_are_in_chinese_and_name_each_field_by_its_title()
    {
        var form = new { companyName = "", registeredCapital = -5, registeredAddress = "上海市松江区", businessScope = "软件开发" };

        using var response = await platform.Gateway.PostAsJsonAsync("/api/catalog/matters/SJ-SCJ-001/form-check", form);

        var errors = (await PlatformFixture.JsonOf(response)).GetProperty("errors");
        var missing = errors.GetProperty("/legalRepresentative")[0].GetString()!;
        Assert.StartsWith("请填写“", missing, StringComparison.Ordinal);
        Assert.DoesNotContain("legalRepresentative", missing, StringComparison.Ordinal);
        foreach (var message in errors.EnumerateObject().SelectMany(e => e.Value.EnumerateArray()).Select(m => m.GetString()!))
        {
            Assert.Contains(message, c => c >= '\u4e00' && c <= '\u9fff');
            Assert.DoesNotMatch("[A-Za-z]{4,}", message);
        }
    }

    [Theory]
    [InlineData("SJ-WJ-001", "/premisesArea")]
    [InlineData("SJ-GZ-001", "/floorArea")]
    [InlineData("YJS-XMKG", "/floorArea")]
    public async Task A_form_must_carry_what_the_licence_it_leads_to_needs(string code, string field)
    {
        var kind = code.StartsWith("YJS-", StringComparison.Ordinal) ? "bundles" : "matters";
        var form = new { uscc = "91310117MA1J3GKL0Q" };

        using var response = await platform.Gateway.PostAsJsonAsync($"/api/catalog/{kind}/{code}/form-check", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await PlatformFixture.JsonOf(response)).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Valid_form_passes_the_check()
    {
        var form = new { uscc = "91310117MA1J3GKL0Q", financialContact = "赵六", invoiceTypes = new[] { "数电发票（普通发票）" } };

        using var response = await platform.Gateway.PostAsJsonAsync("/api/catalog/matters/SJ-SW-001/form-check", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_matter_is_404_problem()
    {
        using var response = await platform.Gateway.GetAsync("/api/catalog/matters/SJ-NONE-999");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Admin_publishes_a_new_version_and_the_old_one_stays_readable()
    {
        var admin = await platform.UserTokenAsync("admin");
        var definition = await DefinitionOf("SJ-RS-003");
        definition["promisedLimitDays"] = 0;
        definition["changeNote"] = "即时办结";

        using var published = await PutAsync("/api/catalog/matters/SJ-RS-003", admin, definition);
        using var current = await platform.Gateway.GetAsync("/api/catalog/matters/SJ-RS-003");
        using var first = await platform.Gateway.GetAsync("/api/catalog/matters/SJ-RS-003/versions/1");

        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        var now = await PlatformFixture.JsonOf(current);
        Assert.Equal(2, now.GetProperty("version").GetInt32());
        Assert.Equal(0, now.GetProperty("promisedLimitDays").GetInt32());
        Assert.Equal(1, (await PlatformFixture.JsonOf(first)).GetProperty("promisedLimitDays").GetInt32());
    }

    [Fact]
    public async Task Invalid_matter_is_400_listing_every_field_and_nothing_is_published()
    {
        var admin = await platform.UserTokenAsync("admin");
        var definition = await DefinitionOf("SJ-WJ-001");
        definition["department"] = "ministry-of-magic";
        definition["promisedLimitDays"] = 99;
        definition["formSchema"] = JsonNode.Parse("{\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"nonsense\"}}}");
        definition["materials"] = JsonNode.Parse("[{\"code\": \"a\", \"name\": \"A\"}, {\"code\": \"a\", \"name\": \"B\"}]");

        using var response = await PutAsync("/api/catalog/matters/SJ-WJ-001", admin, definition);
        using var versions = await platform.Gateway.GetAsync("/api/catalog/matters/SJ-WJ-001/versions");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await PlatformFixture.JsonOf(response)).GetProperty("errors");
        foreach (var field in new[] { "department", "promisedLimitDays", "formSchema", "materials" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"{field} should be reported");
        }
        Assert.Equal(1, (await PlatformFixture.JsonOf(versions)).GetArrayLength());
    }

    [Fact]
    public async Task Only_admins_publish()
    {
        var definition = await DefinitionOf("SJ-SW-002");

        using var anonymous = await PutAsync("/api/catalog/matters/SJ-SW-002", token: null, definition);
        using var caseworker = await PutAsync("/api/catalog/matters/SJ-SW-002", await platform.UserTokenAsync("tax-approver"), definition);
        using var enterprise = await PutAsync("/api/catalog/matters/SJ-SW-002", await platform.UserTokenAsync("ent-zhisuan"), definition);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, caseworker.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, enterprise.StatusCode);
    }

    [Fact]
    public async Task Bundle_naming_an_unknown_matter_is_refused()
    {
        var admin = await platform.UserTokenAsync("admin");
        var bundle = new
        {
            code = "YJS-TEST", name = "测试一件事", description = "测试", matterCodes = new[] { "SJ-SCJ-001", "SJ-NONE-1" },
            promisedLimitDays = 3, formSchema = new { type = "object", properties = new { a = new { type = "string" } } },
        };

        using var response = await PutAsync("/api/catalog/bundles/YJS-TEST", admin, JsonSerializer.SerializeToNode(bundle)!.AsObject());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("SJ-NONE-1", (await PlatformFixture.JsonOf(response)).GetProperty("errors").GetProperty("matterCodes")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_matter_declares_what_its_approval_means()
    {
        using var establishment = await platform.Gateway.GetAsync("/api/catalog/matters/SJ-SCJ-001");
        using var change = await platform.Gateway.GetAsync("/api/catalog/matters/SJ-SCJ-002");
        using var hygiene = await platform.Gateway.GetAsync("/api/catalog/matters/SJ-WJ-001");

        var established = (await PlatformFixture.JsonOf(establishment)).GetProperty("outcome");
        Assert.Equal("business-licence", established.GetProperty("licence").GetProperty("type").GetString());
        Assert.Equal("establish", established.GetProperty("registration").GetProperty("effect").GetString());
        Assert.Equal("companyName", established.GetProperty("registration").GetProperty("fields").GetProperty("name").GetString());
        var changed = (await PlatformFixture.JsonOf(change)).GetProperty("outcome");
        Assert.Equal("change", changed.GetProperty("registration").GetProperty("effect").GetString());
        Assert.False(changed.TryGetProperty("licence", out _));
        var licence = (await PlatformFixture.JsonOf(hygiene)).GetProperty("outcome").GetProperty("licence");
        Assert.Equal("public-place-hygiene-licence", licence.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_form_edit_that_drops_a_field_the_outcome_maps_is_refused_and_nothing_is_published()
    {
        var admin = await platform.UserTokenAsync("admin");
        var definition = await DefinitionOf("SJ-WJ-001");
        var properties = definition["formSchema"]!["properties"]!.AsObject();
        properties.Remove("premisesArea");
        definition["formSchema"]!["required"] = new JsonArray("uscc", "premisesAddress", "premisesType");
        definition["outcome"]!["registration"] = JsonNode.Parse("""{ "effect": "merge", "fields": { "shoeSize": "premisesType" } }""");

        using var response = await PutAsync("/api/catalog/matters/SJ-WJ-001", admin, definition);
        using var versions = await platform.Gateway.GetAsync("/api/catalog/matters/SJ-WJ-001/versions");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await PlatformFixture.JsonOf(response)).GetProperty("errors");
        Assert.Contains("premisesArea", errors.GetProperty("outcome.licence.fields.areaSquareMetres")[0].GetString(), StringComparison.Ordinal);
        Assert.True(errors.TryGetProperty("outcome.registration.effect", out _));
        Assert.True(errors.TryGetProperty("outcome.registration.fields.shoeSize", out _));
        Assert.Equal(1, (await PlatformFixture.JsonOf(versions)).GetArrayLength());
    }

    private async Task<JsonObject> DefinitionOf(string code)
    {
        using var response = await platform.Gateway.GetAsync($"/api/catalog/matters/{code}");
        var matter = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        foreach (var derived in new[] { "version", "departmentName", "changedAt", "changeNote" })
        {
            matter.Remove(derived);
        }
        return matter;
    }

    private Task<HttpResponseMessage> PutAsync(string path, string? token, JsonObject body)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return platform.Gateway.SendAsync(request);
    }
}
