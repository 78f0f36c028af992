using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Songjiang.Exchange.Tests.Support;

namespace Songjiang.Exchange.Tests;

/// <summary>Bad input from a correctly signed partner: a 4xx problem naming the field, in Chinese, and nothing filed.</summary>
[Collection(ExchangeCollection.Name)]
public sealed class BadInputTests(ExchangePlatform platform)
{
    private const string Applications = "/api/partner/v1/applications";

    // Business state a refused application must not touch (the nonce and the log record of the call are its audit trail).
    private string Filed() => string.Join(",", platform.Count("partner_applications"), platform.Count("webhook_deliveries"),
        platform.PartnerCases(), platform.PartnerUploads());

    private async Task<JsonElement> RefusedAsync(HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        if (field is not null)
        {
            var errors = problem.GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out var messages), $"no error for {field}: {text}");
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", messages[0].GetString()!);
        }
        return problem;
    }

    [Fact]
    public async Task Malformed_JSON_is_a_400_naming_the_body()
    {
        var before = Filed();
        using var response = await platform.Partner("330400").SendRawAsync(HttpMethod.Post, Applications, "{\"partnerReference\": \"x\","u8.ToArray());

        await RefusedAsync(response, HttpStatusCode.BadRequest, "body");
        Assert.Equal(before, Filed());
    }

    [Fact]
    public async Task Invalid_Base64_content_is_a_400_naming_the_material()
    {
        var before = Filed();
        var body = ExchangePlatform.Application("BAD-B64", materials: [ExchangePlatform.Material("application", base64: "%%%not-base64%%%"), ExchangePlatform.Material("settlement")]);

        using var response = await platform.Partner("330400").SendAsync(HttpMethod.Post, Applications, body);

        await RefusedAsync(response, HttpStatusCode.BadRequest, "materials[0].content");
        Assert.Equal(before, Filed());
    }

    [Fact]
    public async Task A_PNG_disguised_as_a_PDF_is_refused()
    {
        var before = Filed();
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
        var body = ExchangePlatform.Application("BAD-TYPE", materials: [ExchangePlatform.Material("application"), ExchangePlatform.Material("settlement", png)]);

        using var response = await platform.Partner("330400").SendAsync(HttpMethod.Post, Applications, body);

        var problem = await RefusedAsync(response, HttpStatusCode.BadRequest, "materials[1].content");
        Assert.Contains("PNG", problem.GetProperty("errors").GetProperty("materials[1].content")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, Filed());
    }

    [Fact]
    public async Task A_wrong_SHA_256_is_refused()
    {
        var before = Filed();
        var body = ExchangePlatform.Application("BAD-SHA", materials: [ExchangePlatform.Material("application", sha256: Convert.ToHexStringLower(SHA256.HashData("other"u8))), ExchangePlatform.Material("settlement")]);

        using var response = await platform.Partner("330400").SendAsync(HttpMethod.Post, Applications, body);

        await RefusedAsync(response, HttpStatusCode.BadRequest, "materials[0].sha256");
        Assert.Equal(before, Filed());
    }

    [Fact]
    public async Task An_invalid_USCC_is_refused()
    {
        var before = Filed();
        var body = ExchangePlatform.Application("BAD-USCC", uscc: "91330400MA2B3C4D5X");

        using var response = await platform.Partner("330400").SendAsync(HttpMethod.Post, Applications, body);

        await RefusedAsync(response, HttpStatusCode.BadRequest, "applicant.uscc");
        Assert.Equal(before, Filed());
    }

    [Fact]
    public async Task A_form_that_fails_the_matters_schema_is_refused_before_any_material_is_stored()
    {
        var before = Filed();
        var uscc = ExchangePlatform.Uscc("330400");
        var body = new
        {
            partnerReference = "BAD-FORM",
            matterCode = "SJ-RS-002",
            applicant = new { uscc, name = "嘉兴南湖智造有限公司" },
            form = new { uscc },
            materials = new[] { ExchangePlatform.Material("application"), ExchangePlatform.Material("settlement") },
        };

        using var response = await platform.Partner("330400").SendAsync(HttpMethod.Post, Applications, body);

        var problem = await RefusedAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(problem.GetProperty("errors").EnumerateObject(), e => e.Name.StartsWith("form", StringComparison.Ordinal));
        Assert.Equal(before, Filed());
    }

    [Fact]
    public async Task A_missing_required_material_and_an_unknown_matter_are_named()
    {
        var before = Filed();
        using var missing = await platform.Partner("330400").SendAsync(HttpMethod.Post, Applications,
            ExchangePlatform.Application("BAD-MISSING", materials: [ExchangePlatform.Material("application")]));
        using var unknown = await platform.Partner("330400").SendAsync(HttpMethod.Post, Applications,
            ExchangePlatform.Application("BAD-MATTER", matter: "SJ-NO-999"));

        await RefusedAsync(missing, HttpStatusCode.BadRequest, "materials.settlement");
        await RefusedAsync(unknown, HttpStatusCode.BadRequest, "matterCode");
        Assert.Equal(before, Filed());
    }

    [Fact]
    public async Task Materials_over_10_MiB_in_all_are_refused_with_413()
    {
        var before = Filed();
        var big = new byte[5 * 1024 * 1024 + 128 * 1024];
        "%PDF-1.7\n"u8.CopyTo(big);
        var body = ExchangePlatform.Application("BAD-BIG", materials: [ExchangePlatform.Material("application", big), ExchangePlatform.Material("settlement", big)]);

        using var response = await platform.Partner("330400").SendAsync(HttpMethod.Post, Applications, body);

        await RefusedAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, Filed());
    }

    [Fact]
    public async Task A_body_over_the_gateway_limit_is_refused_before_it_reaches_the_exchange()
    {
        var before = platform.Footprint();
        var body = new byte[16 * 1024 * 1024];
        body.AsSpan().Fill((byte)' ');
        Encoding.ASCII.GetBytes("{}").CopyTo(body, 0);

        using var response = await platform.Partner("330400").SendRawAsync(HttpMethod.Post, Applications, body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(before, platform.Footprint());
    }

    [Theory]
    [InlineData("ftp://partner.example/hook")]
    [InlineData("not a url")]
    [InlineData("http://user:pw@partner.example/hook")]
    public async Task A_webhook_that_is_not_an_http_URL_is_refused(string url)
    {
        using var response = await platform.Partner("330500").SendAsync(HttpMethod.Put, "/api/partner/v1/webhook", new { url });

        await RefusedAsync(response, HttpStatusCode.BadRequest, "url");
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://192.168.0.10/hook")]
    [InlineData("http://172.20.0.1/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://[::1]/hook")]
    public async Task Webhook_targets_on_loopback_or_private_networks_are_refused_unless_allowed(string url)
    {
        var error = await Assert.ThrowsAsync<Songjiang.ServiceDefaults.Problems.ValidationFailedException>(
            () => Songjiang.Exchange.Api.Features.PartnerApi.CheckTargetAsync(url, allowPrivate: false, CancellationToken.None));
        Assert.True(error.Errors.ContainsKey("url"));
        Assert.Equal(new Uri(url).AbsoluteUri, await Songjiang.Exchange.Api.Features.PartnerApi.CheckTargetAsync(url, allowPrivate: true, CancellationToken.None));
    }

    [Fact]
    public async Task A_public_webhook_target_is_accepted()
    {
        Assert.Equal("https://203.0.113.7/g60/hook",
            await Songjiang.Exchange.Api.Features.PartnerApi.CheckTargetAsync("https://203.0.113.7/g60/hook", allowPrivate: false, CancellationToken.None));
    }
}
