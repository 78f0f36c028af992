using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Songjiang.Exchange.Tests.Support;
using Songjiang.Testing;

namespace Songjiang.Exchange.Tests;

/// <summary>Applications a partner city files (异地代收): filing, idempotency, 补正, and what another city cannot see.</summary>
[Collection(ExchangeCollection.Name)]
public sealed class PartnerApplicationTests(ExchangePlatform platform)
{
    private const string Applications = "/api/partner/v1/applications";

    private static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<JsonElement> FileAsync(PartnerClient partner, string reference, object? body = null)
    {
        using var response = await partner.SendAsync(HttpMethod.Post, Applications, body ?? ExchangePlatform.Application(reference));
        return await ExpectAsync(response, HttpStatusCode.Accepted);
    }

    private async Task<JsonElement> ReadAsync(PartnerClient partner, Guid id)
    {
        using var response = await partner.SendAsync(HttpMethod.Get, $"{Applications}/{id}");
        return await ExpectAsync(response, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Jiaxing_files_an_application_that_caseworkers_see_as_from_Jiaxing_on_the_partner_channel()
    {
        var jiaxing = platform.Partner("330400");

        var accepted = await FileAsync(jiaxing, "JX-2026-0001");

        Assert.Equal("submitted", accepted.GetProperty("status").GetString());
        Assert.Equal("JX-2026-0001", accepted.GetProperty("partnerReference").GetString());
        var number = accepted.GetProperty("number").GetString()!;
        var cases = new CaseDriver(platform);
        var view = await cases.ApplicationAsync("hr-clerk", number);
        Assert.Equal("partner-city", view.GetProperty("summary").GetProperty("channel").GetString());
        Assert.Equal("330400", view.GetProperty("summary").GetProperty("partnerCity").GetString());
        Assert.Equal("嘉兴南湖智造有限公司", view.GetProperty("summary").GetProperty("applicantName").GetString());
        Assert.All(view.GetProperty("materials").EnumerateArray(), m => Assert.Equal("upload", m.GetProperty("source").GetString()));

        var read = await ReadAsync(jiaxing, accepted.GetProperty("id").GetGuid());
        Assert.Equal(number, read.GetProperty("number").GetString());
        Assert.Equal("已提交", read.GetProperty("statusName").GetString());
        Assert.EndsWith("+08:00", read.GetProperty("submittedAt").GetString(), StringComparison.Ordinal);
        Assert.NotEmpty(read.GetProperty("timeline").EnumerateArray());
    }

    [Fact]
    public async Task A_retry_with_the_same_reference_and_body_returns_the_same_application()
    {
        var jiaxing = platform.Partner("330400");
        var body = ExchangePlatform.Application("JX-RETRY-1");
        var first = await FileAsync(jiaxing, "JX-RETRY-1", body);
        var cases = platform.PartnerCases();

        var second = await FileAsync(jiaxing, "JX-RETRY-1", body);

        Assert.Equal(first.GetProperty("id").GetGuid(), second.GetProperty("id").GetGuid());
        Assert.Equal(first.GetProperty("number").GetString(), second.GetProperty("number").GetString());
        Assert.Equal(cases, platform.PartnerCases());
    }

    [Fact]
    public async Task The_same_reference_with_another_body_is_a_conflict_and_files_nothing()
    {
        var jiaxing = platform.Partner("330400");
        await FileAsync(jiaxing, "JX-CONFLICT-1");
        var cases = platform.PartnerCases();
        var uploads = platform.PartnerUploads();

        using var response = await jiaxing.SendAsync(HttpMethod.Post, Applications,
            ExchangePlatform.Application("JX-CONFLICT-1", ExchangePlatform.Uscc("330400", "MA2B3C4D6")));

        var problem = await ExpectAsync(response, HttpStatusCode.Conflict);
        Assert.Contains("JX-CONFLICT-1", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(cases, platform.PartnerCases());
        Assert.Equal(uploads, platform.PartnerUploads());
    }

    [Fact]
    public async Task The_same_reference_from_another_city_is_another_application()
    {
        var jiaxing = await FileAsync(platform.Partner("330400"), "SHARED-REF-1");
        var suzhou = await FileAsync(platform.Partner("320500"), "SHARED-REF-1", ExchangePlatform.Application("SHARED-REF-1", ExchangePlatform.Uscc("320500")));

        Assert.NotEqual(jiaxing.GetProperty("number").GetString(), suzhou.GetProperty("number").GetString());
    }

    [Fact]
    public async Task Another_city_asking_for_Jiaxings_application_is_told_it_does_not_exist()
    {
        var accepted = await FileAsync(platform.Partner("330400"), "JX-PRIVATE-1");
        var id = accepted.GetProperty("id").GetGuid();
        var suzhou = platform.Partner("320500");

        using var read = await suzhou.SendAsync(HttpMethod.Get, $"{Applications}/{id}");
        using var resubmit = await suzhou.SendAsync(HttpMethod.Post, $"{Applications}/{id}/resubmissions",
            new { materials = new[] { ExchangePlatform.Material("settlement") } });

        await ExpectAsync(read, HttpStatusCode.NotFound);
        await ExpectAsync(resubmit, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_city_filing_a_matter_not_open_to_it_is_refused_with_403_and_nothing_is_filed()
    {
        var before = platform.PartnerCases();
        var body = new
        {
            partnerReference = "XC-ARCHIVE-1",
            matterCode = "SJ-SCJ-006",
            applicant = new { uscc = ExchangePlatform.Uscc("341800"), name = "宣城市某某有限公司" },
            form = new { uscc = ExchangePlatform.Uscc("341800"), purpose = "诉讼" },
            materials = new[] { ExchangePlatform.Material("request") },
        };

        using var response = await platform.Partner("341800").SendAsync(HttpMethod.Post, Applications, body);

        var problem = await ExpectAsync(response, HttpStatusCode.Forbidden);
        Assert.Contains("宣城市", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, platform.PartnerCases());
        Assert.Equal(0, CountFor("341800"));
    }

    private long CountFor(string city)
    {
        using var connection = platform.OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM partner_applications WHERE City = $city";
        command.Parameters.AddWithValue("$city", city);
        return (long)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task A_correction_request_is_answered_by_the_partner_and_the_case_goes_on_to_approval()
    {
        var jiaxing = platform.Partner("330400");
        var accepted = await FileAsync(jiaxing, "JX-CORRECT-1");
        var id = accepted.GetProperty("id").GetGuid();
        var number = accepted.GetProperty("number").GetString()!;
        var cases = new CaseDriver(platform);

        await cases.ActAsync("hr-clerk", number, "correct", "结清证明缺少公章，请补正", ["settlement"]);

        var asked = await ReadAsync(jiaxing, id);
        Assert.Equal("correction-requested", asked.GetProperty("status").GetString());
        Assert.Equal("待补正", asked.GetProperty("statusName").GetString());
        Assert.Equal("resubmit", asked.GetProperty("ask").GetProperty("action").GetString());
        Assert.Equal(["settlement"], asked.GetProperty("ask").GetProperty("materials").EnumerateArray().Select(m => m.GetString()!));

        using (var resubmitted = await jiaxing.SendAsync(HttpMethod.Post, $"{Applications}/{id}/resubmissions",
            new { materials = new[] { ExchangePlatform.Material("settlement") }, note = "已补盖公章" }))
        {
            await ExpectAsync(resubmitted, HttpStatusCode.Accepted);
        }
        using (var again = await jiaxing.SendAsync(HttpMethod.Post, $"{Applications}/{id}/resubmissions",
            new { materials = new[] { ExchangePlatform.Material("settlement") } }))
        {
            await ExpectAsync(again, HttpStatusCode.Conflict);
        }

        await cases.ActAsync("hr-clerk", number, "accept");
        await cases.ActAsync("hr-reviewer", number, "approve", "同意");

        var approved = await ReadAsync(jiaxing, id);
        Assert.Equal("approved", approved.GetProperty("outcome").GetString());
        var events = approved.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("event").GetString()).ToList();
        Assert.Contains("correct", events);
        Assert.Contains("approved", events);
    }

    [Fact]
    public async Task A_licence_number_the_platform_never_issued_is_not_found()
    {
        using var response = await platform.Partner("330400").SendAsync(HttpMethod.Post, "/api/partner/v1/licenses/verify", new { number = "NO-SUCH-LICENCE-1" });

        var problem = await ExpectAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("电子证照", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verifying_needs_a_number_or_a_document()
    {
        using var response = await platform.Partner("330400").SendAsync(HttpMethod.Post, "/api/partner/v1/licenses/verify", new { });

        var problem = await ExpectAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("number", out _));
    }

    [Fact]
    public async Task The_issuers_document_is_sealed_with_the_platforms_SM2_key()
    {
        using var response = await platform.Partner("330400").SendAsync(HttpMethod.Get, "/api/partner/v1/trust/issuers");

        var document = await ExpectAsync(response, HttpStatusCode.OK);
        var payload = Convert.FromBase64String(document.GetProperty("payload").GetString()!);
        var seal = document.GetProperty("seal");
        Assert.Equal("SM2-SM3", seal.GetProperty("alg").GetString());
        var publicKey = Sm2Check.PublicKeyFromPem(document.GetProperty("platformPublicKeyPem").GetString()!);
        var signature = Convert.FromBase64String(seal.GetProperty("signature").GetString()!);
        Assert.True(Sm2Check.Verify(publicKey, payload, signature));
        payload[^2] ^= 1;
        Assert.False(Sm2Check.Verify(publicKey, payload, signature));

        var issuers = JsonDocument.Parse(Convert.FromBase64String(document.GetProperty("payload").GetString()!)).RootElement;
        Assert.Equal("310117", issuers.GetProperty("platformCity").GetString());
        Assert.NotEmpty(issuers.GetProperty("issuers").EnumerateArray());
    }

    [Fact]
    public async Task Admin_endpoints_of_the_exchange_refuse_a_partner_citys_token()
    {
        var token = await platform.CityTokenAsync("330400");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/exchange/admin/log");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await platform.Gateway.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
