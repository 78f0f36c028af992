using System.Net;
using System.Text;
using System.Text.Json;
using Songjiang.Exchange.Tests.Support;

namespace Songjiang.Exchange.Tests;

/// <summary>The signing matrix: what a partner's signed request must carry, and what each refusal leaves behind (nothing).</summary>
[Collection(ExchangeCollection.Name)]
public sealed class SigningTests(ExchangePlatform platform)
{
    private const string Matters = "/api/partner/v1/matters";

    private async Task<JsonElement> RefusedAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.DoesNotContain("signing-key", text, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", text, StringComparison.OrdinalIgnoreCase);
        return problem;
    }

    [Fact]
    public async Task A_correctly_signed_call_lists_the_matters_open_to_the_city_with_schemas_and_materials()
    {
        using var response = await platform.Partner("330400").SendAsync(HttpMethod.Get, Matters);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("X-G60-Verified-City"), "the gateway keeps its rate-limit hint to itself");
        var body = await PartnerClient.ReadAsync(response);
        Assert.Equal("330400", body.GetProperty("city").GetString());
        var archive = body.GetProperty("items").EnumerateArray().Single(m => m.GetProperty("code").GetString() == "SJ-SCJ-006");
        Assert.Equal("企业登记档案查询（跨省通办）", archive.GetProperty("name").GetString());
        Assert.Contains(archive.GetProperty("materials").EnumerateArray(), m => m.GetProperty("code").GetString() == "request");
        Assert.Equal(JsonValueKind.Object, archive.GetProperty("formSchema").ValueKind);
    }

    [Fact]
    public async Task Xuancheng_is_not_offered_a_matter_that_is_not_open_to_it()
    {
        using var response = await platform.Partner("341800").SendAsync(HttpMethod.Get, Matters);

        var items = (await PartnerClient.ReadAsync(response)).GetProperty("items").EnumerateArray().Select(m => m.GetProperty("code").GetString()).ToList();
        Assert.DoesNotContain("SJ-SCJ-006", items);
        Assert.Contains("SJ-RS-002", items);
    }

    [Theory]
    [InlineData("%2A")]
    [InlineData("%27%20OR%20%271%27%3D%271")]
    [InlineData("title%3A%28x%29")]
    public async Task A_path_the_city_escaped_its_own_way_reaches_the_exchange_as_signed(string id)
    {
        // The gateway used to forward these as *, ' and (, so the exchange saw another target than the city had signed.
        using var response = await platform.Partner("330400").SendAsync(HttpMethod.Get, $"/api/partner/v1/applications/{id}");

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"expected 404 (verified, no such application), got {(int)response.StatusCode}: {text}");
    }

    [Theory]
    [InlineData("X-G60-City")]
    [InlineData("X-G60-Key-Id")]
    [InlineData("X-G60-Timestamp")]
    [InlineData("X-G60-Nonce")]
    [InlineData("X-G60-Signature")]
    public async Task A_request_missing_a_header_is_refused_with_401_naming_it_and_leaves_nothing(string header)
    {
        var before = platform.Footprint();
        var signed = platform.Partner("330400").Prepare(HttpMethod.Post, "/api/partner/v1/applications",
            JsonSerializer.SerializeToUtf8Bytes(ExchangePlatform.Application("missing-" + header)));

        using var response = await platform.Partner("330400").SendAsync(signed, header);

        var problem = await RefusedAsync(response, HttpStatusCode.Unauthorized, "missing-header");
        Assert.Contains(header, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, platform.Footprint());
    }

    [Fact]
    public async Task A_signature_over_another_body_is_refused_and_files_nothing()
    {
        var before = platform.Footprint();
        var partner = platform.Partner("330400");
        var signed = partner.Prepare(HttpMethod.Post, "/api/partner/v1/applications",
            JsonSerializer.SerializeToUtf8Bytes(ExchangePlatform.Application("body-a")));
        var swapped = signed with { Body = JsonSerializer.SerializeToUtf8Bytes(ExchangePlatform.Application("body-b")) };

        using var response = await partner.SendAsync(swapped);

        await RefusedAsync(response, HttpStatusCode.Unauthorized, "bad-signature");
        Assert.Equal(before, platform.Footprint());
    }

    [Fact]
    public async Task A_signature_over_another_path_is_refused()
    {
        var partner = platform.Partner("330400");
        var signed = partner.Prepare(HttpMethod.Get, Matters);

        using var response = await partner.SendAsync(signed with { PathAndQuery = "/api/partner/v1/webhook/deliveries" });

        await RefusedAsync(response, HttpStatusCode.Unauthorized, "bad-signature");
    }

    [Fact]
    public async Task A_signature_over_another_query_string_is_refused()
    {
        var partner = platform.Partner("330400");
        var signed = partner.Prepare(HttpMethod.Get, "/api/partner/v1/webhook/deliveries?page=1");

        using var response = await partner.SendAsync(signed with { PathAndQuery = "/api/partner/v1/webhook/deliveries?page=2" });

        await RefusedAsync(response, HttpStatusCode.Unauthorized, "bad-signature");
    }

    [Fact]
    public async Task The_query_string_is_signed_exactly_as_sent()
    {
        using var response = await platform.Partner("330400").SendAsync(HttpMethod.Get, "/api/partner/v1/webhook/deliveries?page=2&pageSize=5");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await PartnerClient.ReadAsync(response)).GetProperty("page").GetInt32());
    }

    [Theory]
    [InlineData(-310)]
    [InlineData(310)]
    public async Task A_stale_or_future_timestamp_is_refused_even_when_correctly_signed(int offsetSeconds)
    {
        var before = platform.Footprint();
        var partner = platform.Partner("330400");
        var signed = partner.Prepare(HttpMethod.Get, Matters, timestamp: DateTimeOffset.UtcNow.ToUnixTimeSeconds() + offsetSeconds);

        using var response = await partner.SendAsync(signed);

        await RefusedAsync(response, HttpStatusCode.Unauthorized, "stale-timestamp");
        Assert.Equal(before, platform.Footprint());
    }

    [Fact]
    public async Task A_timestamp_within_the_window_is_accepted()
    {
        var partner = platform.Partner("330400");
        using var response = await partner.SendAsync(partner.Prepare(HttpMethod.Get, Matters, timestamp: DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 240));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_replayed_request_is_refused_the_second_time()
    {
        var partner = platform.Partner("330400");
        var signed = partner.Prepare(HttpMethod.Get, Matters);
        using var first = await partner.SendAsync(signed);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var before = platform.Footprint();

        using var replay = await partner.SendAsync(signed);

        await RefusedAsync(replay, HttpStatusCode.Unauthorized, "replayed-nonce");
        Assert.Equal(before, platform.Footprint());
    }

    [Fact]
    public async Task A_nonce_is_per_city_so_another_city_may_use_the_same_one()
    {
        var nonce = "shared-nonce-" + Guid.NewGuid().ToString("N")[..12];
        var jiaxing = platform.Partner("330400");
        var suzhou = platform.Partner("320500");

        using var first = await jiaxing.SendAsync(jiaxing.Prepare(HttpMethod.Get, Matters, nonce: nonce));
        using var second = await suzhou.SendAsync(suzhou.Prepare(HttpMethod.Get, Matters, nonce: nonce));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("has spaces in it, sixteen+")]
    public async Task A_malformed_nonce_is_refused(string nonce)
    {
        var partner = platform.Partner("330400");
        using var response = await partner.SendAsync(partner.Prepare(HttpMethod.Get, Matters, nonce: nonce));

        await RefusedAsync(response, HttpStatusCode.Unauthorized, "malformed-nonce");
    }

    [Theory]
    [InlineData("330400", "demo-2")]
    [InlineData("999999", "demo-1")]
    [InlineData("310117", "demo-1")]
    public async Task An_unknown_city_or_key_is_refused(string city, string keyId)
    {
        var client = platform.Partner(city, keyId);
        using var response = await client.SendAsync(HttpMethod.Get, Matters);

        await RefusedAsync(response, HttpStatusCode.Unauthorized, "unknown-key");
    }

    [Fact]
    public async Task Hangzhou_rotating_its_key_may_sign_with_either_active_key_but_not_the_retired_one()
    {
        using var old = await platform.Partner("330100").SendAsync(HttpMethod.Get, Matters);
        using var rotated = await platform.Partner("330100", ExchangePlatform.RotatedKeyId, ExchangePlatform.RotatedSecret).SendAsync(HttpMethod.Get, Matters);
        var before = platform.Footprint();
        using var retired = await platform.Partner("330100", ExchangePlatform.RetiredKeyId, ExchangePlatform.RetiredSecret).SendAsync(HttpMethod.Get, Matters);

        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        await RefusedAsync(retired, HttpStatusCode.Unauthorized, "unknown-key");
        Assert.Equal(before, platform.Footprint());
    }

    [Fact]
    public async Task A_key_signing_for_another_city_is_refused()
    {
        // Jiaxing's secret used under Suzhou's name.
        using var response = await platform.Partner("320500", "demo-1", "demo-g60-330400-signing-key").SendAsync(HttpMethod.Get, Matters);

        await RefusedAsync(response, HttpStatusCode.Unauthorized, "bad-signature");
    }

    [Fact]
    public async Task A_partner_systems_client_credentials_token_reaches_the_same_endpoint()
    {
        var token = await platform.CityTokenAsync("330400");
        using var response = await platform.GetAsync(Matters, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("330400", (await PartnerClient.ReadAsync(response)).GetProperty("city").GetString());
    }

    [Fact]
    public async Task A_user_token_is_not_a_partner_credential()
    {
        var token = await platform.UserTokenAsync("ent-zhisuan");
        using var response = await platform.GetAsync(Matters, token);

        await RefusedAsync(response, HttpStatusCode.Unauthorized, "missing-header");
    }

    [Fact]
    public async Task The_partner_API_is_described_in_the_exchange_OpenAPI_document_through_the_gateway()
    {
        using var response = await platform.Gateway.GetAsync("/openapi/exchange.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains("/api/partner/v1/applications", text, StringComparison.Ordinal);
        Assert.Contains("/api/partner/v1/trust/issuers", text, StringComparison.Ordinal);
    }
}
