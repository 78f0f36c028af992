using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Songjiang.Exchange.Tests.Support;
using Songjiang.Testing;

namespace Songjiang.Exchange.Tests.Federation;

/// <summary>
/// Forwarding (收受分离) between the two real platforms of the class fixture: an application for a matter the other
/// city approves is received on one platform, filed at the other through its partner API, worked there by its
/// caseworkers, and every step comes back through that city's signed webhooks onto the applicant's timeline.
/// </summary>
public sealed partial class FederationTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task An_application_for_a_Jiaxing_matter_filed_in_Songjiang_is_forwarded_corrected_approved_and_its_licence_verifies_in_Songjiang()
    {
        await SyncAsync(Cities.Songjiang);
        await SyncAsync(Cities.Jiaxing);

        // The catalog names the approving city.
        var matter = await FederatedPlatforms.AsUserAsync(Cities.Songjiang, "ent-g60bio", HttpMethod.Get, "/api/catalog/matters/G60-JX-001");
        Assert.Equal(FederatedPlatforms.JiaxingCode, matter.GetProperty("approvingCity").GetString());
        Assert.Equal("嘉兴市", matter.GetProperty("approvingCityName").GetString());

        var materials = new Dictionary<string, Guid>
        {
            ["application"] = await UploadAsync(Cities.Songjiang, "ent-g60bio", "application.pdf"),
            ["staff"] = await UploadAsync(Cities.Songjiang, "ent-g60bio", "staff.pdf"),
        };
        var submitted = await FederatedPlatforms.AsUserAsync(Cities.Songjiang, "ent-g60bio", HttpMethod.Post, "/api/cases/applications", new
        {
            matterCode = "G60-JX-001",
            form = new { uscc = CaseDriver.G60Bio, serviceItems = new[] { "职业中介" }, qualifiedStaff = 3 },
            materials,
        });
        var number = submitted.GetProperty("summary").GetProperty("number").GetString()!;

        // No Songjiang caseworker gets it: it is handled in Jiaxing.
        Assert.Empty(await TasksAsync(Cities.Songjiang, "hr-clerk", number));

        var forwarded = await TimelineStepAsync(Cities.Songjiang, "ent-g60bio", number, "已转嘉兴市办理");
        var remoteNumber = forwarded.GetProperty("detail").GetString()!.Split('：')[1].Trim();

        // Another city (Hefei, with its own valid key) cannot move an application Songjiang forwarded to Jiaxing.
        var remoteId = await RemoteIdAsync(remoteNumber);
        using (var forged = await FederatedPlatforms.Partner(Cities.Songjiang, "340100").SendAsync(HttpMethod.Post, "/api/partner/v1/forwarding/webhook",
            Webhook(remoteId, 90, "approved")))
        {
            Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        }
        var jiaxing = FederatedPlatforms.Partner(Cities.Songjiang, FederatedPlatforms.JiaxingCode);
        using (var malformed = await jiaxing.SendRawAsync(HttpMethod.Post, "/api/partner/v1/forwarding/webhook", "{not json"u8.ToArray()))
        {
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
            Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);
        }
        using (var incomplete = await jiaxing.SendAsync(HttpMethod.Post, "/api/partner/v1/forwarding/webhook", new { status = "approved" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
            Assert.Contains("applicationId", await incomplete.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        // Nor can the applicant move its own case as if it were the exchange.
        using (var request = new HttpRequestMessage(HttpMethod.Post, $"/api/cases/forwarding/{number}/steps")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { key = "self", step = "approved" }),
        })
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await FederatedPlatforms.TokenAsync(Cities.Songjiang, "ent-g60bio"));
            using var selfApproval = await Cities.Songjiang.Gateway.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, selfApproval.StatusCode);
        }
        var afterForgery = await FederatedPlatforms.AsUserAsync(Cities.Songjiang, "ent-g60bio", HttpMethod.Get, $"/api/cases/applications/{number}");
        Assert.NotEqual("completed", afterForgery.GetProperty("summary").GetProperty("status").GetString());

        // Jiaxing's clerk asks for a corrected staff certificate (补正).
        await ActAsync(Cities.Jiaxing, "hr-clerk", remoteNumber, "correct", "请补正专职人员资质证明", ["staff"]);
        await TimelineStepAsync(Cities.Songjiang, "ent-g60bio", number, "嘉兴市要求补正");
        var asked = await EventuallyAsync(
            () => FederatedPlatforms.AsUserAsync(Cities.Songjiang, "ent-g60bio", HttpMethod.Get, $"/api/cases/applications/{number}"),
            a => a.GetProperty("summary").GetProperty("status").GetString() == "correction-requested", "the correction request in Songjiang");
        Assert.Contains("staff", asked.GetProperty("correctionMaterials").EnumerateArray().Select(m => m.GetString()));

        // The enterprise answers in Songjiang; the answer is sent on to Jiaxing, whose clerk accepts and reviewer approves.
        var corrected = await UploadAsync(Cities.Songjiang, "ent-g60bio", "staff-corrected.pdf");
        await FederatedPlatforms.AsUserAsync(Cities.Songjiang, "ent-g60bio", HttpMethod.Post, $"/api/cases/applications/{number}/resubmit",
            new { materials = new Dictionary<string, Guid> { ["staff"] = corrected } });
        await EventuallyAsync(() => TasksAsync(Cities.Jiaxing, "hr-clerk", remoteNumber), t => t.Count == 1, "the resubmission in Jiaxing");
        await ActAsync(Cities.Jiaxing, "hr-clerk", remoteNumber, "accept");
        await TimelineStepAsync(Cities.Songjiang, "ent-g60bio", number, "嘉兴市已受理");
        await ActAsync(Cities.Jiaxing, "hr-reviewer", remoteNumber, "approve", "同意");

        var done = await EventuallyAsync(
            () => FederatedPlatforms.AsUserAsync(Cities.Songjiang, "ent-g60bio", HttpMethod.Get, $"/api/cases/applications/{number}"),
            a => a.GetProperty("summary").GetProperty("status").GetString() == "completed", "the approval in Songjiang");
        Assert.Equal("approved", done.GetProperty("summary").GetProperty("outcome").GetString());
        var licence = Assert.Single(done.GetProperty("results").EnumerateArray());
        var licenceNumber = licence.GetProperty("licenceNumber").GetString()!;
        Assert.Equal("hr-service-licence", licence.GetProperty("typeCode").GetString());

        var timeline = await TimelineAsync(Cities.Songjiang, "ent-g60bio", number);
        var steps = timeline.Select(e => e.GetProperty("step").GetString()).ToList();
        Assert.Equal(["提交申请", "已转嘉兴市办理", "嘉兴市要求补正", "补正材料已提交，转嘉兴市审查", "嘉兴市已受理", "嘉兴市准予许可"], steps);
        Assert.Contains(licenceNumber, timeline[^1].GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The licence Jiaxing sealed verifies in Songjiang through the trust list.
        var document = await FederatedPlatforms.AsUserAsync(Cities.Jiaxing, "admin", HttpMethod.Get, $"/api/licenses/{licenceNumber}/document");
        using var verified = await FederatedPlatforms.Partner(Cities.Songjiang, FederatedPlatforms.JiaxingCode)
            .SendAsync(HttpMethod.Post, "/api/partner/v1/licenses/verify", new { document });
        var verdict = await PartnerClient.ReadAsync(verified);
        Assert.True(verdict.GetProperty("outcome").GetString() == "valid", verdict.ToString());
        Assert.Equal("trust-list", verdict.GetProperty("keySource").GetString());
        Assert.Equal(CaseDriver.G60Bio, verdict.GetProperty("holder").GetProperty("code").GetString());

        // Songjiang fetched the sealed licence from Jiaxing and recorded it: it is in the enterprise's licence list,
        // marked with the issuing city.
        var held = await EventuallyAsync(
            () => FederatedPlatforms.AsUserAsync(Cities.Songjiang, "ent-g60bio", HttpMethod.Get, $"/api/licenses?holder={CaseDriver.G60Bio}"),
            page => page.GetProperty("items").EnumerateArray().Any(l => l.GetProperty("number").GetString() == licenceNumber),
            "the Jiaxing licence in Songjiang's licence list");
        var recorded = held.GetProperty("items").EnumerateArray().Single(l => l.GetProperty("number").GetString() == licenceNumber);
        Assert.Equal("嘉兴市", recorded.GetProperty("issuingCityName").GetString());
        Assert.Equal(FederatedPlatforms.JiaxingCode, recorded.GetProperty("issuingCity").GetString());
        Assert.Equal("hr-service-licence", recorded.GetProperty("typeCode").GetString());

        // It proves the licence material of a later application in Songjiang (减材料, mutual recognition): no upload.
        var branch = await FederatedPlatforms.AsUserAsync(Cities.Songjiang, "ent-g60bio", HttpMethod.Post, "/api/cases/applications", new
        {
            matterCode = "SJ-RS-005",
            form = new { uscc = CaseDriver.G60Bio, branchName = "上海G60生物医药有限公司嘉善分公司", branchAddress = "浙江省嘉兴市嘉善县罗星街道1号" },
            materials = new Dictionary<string, Guid> { ["branch-address"] = await UploadAsync(Cities.Songjiang, "ent-g60bio", "lease.pdf") },
        });
        var proven = branch.GetProperty("materials").EnumerateArray().Single(m => m.GetProperty("code").GetString() == "hr-licence");
        Assert.Equal("licence", proven.GetProperty("source").GetString());
        Assert.Equal(licenceNumber, proven.GetProperty("licenceNumber").GetString());

        // Another city (Hefei) cannot fetch the document of a licence issued on an application it did not file.
        using (var stolen = await FederatedPlatforms.Partner(Cities.Jiaxing, "340100").SendAsync(HttpMethod.Get,
            $"/api/partner/v1/licenses/{Uri.EscapeDataString(licenceNumber)}/document"))
        {
            Assert.Equal(HttpStatusCode.NotFound, stolen.StatusCode);
            Assert.Equal("application/problem+json", stolen.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("seal", await stolen.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Every webhook arrived once: a repeat of an applied status changes nothing.
        using var repeat = await FederatedPlatforms.Partner(Cities.Songjiang, FederatedPlatforms.JiaxingCode).SendAsync(HttpMethod.Post,
            "/api/partner/v1/forwarding/webhook", Webhook(remoteId, 2, "correction-requested"));
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.False((await PartnerClient.ReadAsync(repeat)).GetProperty("applied").GetBoolean());
        Assert.Equal(steps.Count, (await TimelineAsync(Cities.Songjiang, "ent-g60bio", number)).Count);
    }

    [Fact]
    public async Task An_application_for_a_Songjiang_matter_filed_in_Jiaxing_is_forwarded_to_Songjiang_and_its_approval_comes_back()
    {
        var materials = new Dictionary<string, Guid>
        {
            ["application"] = await UploadAsync(Cities.Jiaxing, "ent-zhisuan", "application.pdf"),
            ["settlement"] = await UploadAsync(Cities.Jiaxing, "ent-zhisuan", "settlement.pdf"),
        };
        var submitted = await FederatedPlatforms.AsUserAsync(Cities.Jiaxing, "ent-zhisuan", HttpMethod.Post, "/api/cases/applications", new
        {
            matterCode = "G60-SJ-001",
            form = new { uscc = CaseDriver.Zhisuan, reason = "迁往嘉兴", arrearsSettled = true },
            materials,
        });
        var number = submitted.GetProperty("summary").GetProperty("number").GetString()!;
        Assert.Empty(await TasksAsync(Cities.Jiaxing, "hr-clerk", number));

        var forwarded = await TimelineStepAsync(Cities.Jiaxing, "ent-zhisuan", number, "已转松江区办理");
        var remoteNumber = forwarded.GetProperty("detail").GetString()!.Split('：')[1].Trim();

        // In Songjiang it is a partner-city case from Jiaxing, worked by Songjiang's caseworkers.
        var remote = await FederatedPlatforms.AsUserAsync(Cities.Songjiang, "hr-clerk", HttpMethod.Get, $"/api/cases/applications/{remoteNumber}");
        Assert.Equal("partner-city", remote.GetProperty("summary").GetProperty("channel").GetString());
        await ActAsync(Cities.Songjiang, "hr-clerk", remoteNumber, "accept");
        await ActAsync(Cities.Songjiang, "hr-reviewer", remoteNumber, "approve", "同意");

        var done = await EventuallyAsync(
            () => FederatedPlatforms.AsUserAsync(Cities.Jiaxing, "ent-zhisuan", HttpMethod.Get, $"/api/cases/applications/{number}"),
            a => a.GetProperty("summary").GetProperty("status").GetString() == "completed", "the approval in Jiaxing");
        Assert.Equal("approved", done.GetProperty("summary").GetProperty("outcome").GetString());
        var steps = (await TimelineAsync(Cities.Jiaxing, "ent-zhisuan", number)).Select(e => e.GetProperty("step").GetString()).ToList();
        Assert.Equal(["提交申请", "已转松江区办理", "松江区已受理", "松江区准予许可"], steps);
    }

    private static object Webhook(Guid applicationId, int sequence, string status) => new
    {
        id = Guid.NewGuid(),
        type = "application.status-changed",
        sequence,
        applicationId,
        number = "forged",
        partnerReference = "forged",
        status,
        statusName = status,
        occurredAt = DateTimeOffset.UtcNow,
    };

    // The id Jiaxing gave the forwarded application, from Jiaxing's delivery log as Songjiang reads it.
    private async Task<Guid> RemoteIdAsync(string remoteNumber)
    {
        var songjiang = FederatedPlatforms.Partner(Cities.Jiaxing, FederatedPlatforms.SongjiangCode);
        var deliveries = await EventuallyAsync(async () =>
        {
            using var response = await songjiang.SendAsync(HttpMethod.Get, "/api/partner/v1/webhook/deliveries?pageSize=100");
            return (await PartnerClient.ReadAsync(response)).GetProperty("items").EnumerateArray().Select(d => d.Clone()).ToList();
        }, d => d.Count > 0, "Jiaxing's webhooks to Songjiang");
        foreach (var id in deliveries.Select(d => d.GetProperty("applicationId").GetGuid()).Distinct())
        {
            using var response = await songjiang.SendAsync(HttpMethod.Get, $"/api/partner/v1/applications/{id}");
            if ((await PartnerClient.ReadAsync(response)).GetProperty("number").GetString() == remoteNumber)
            {
                return id;
            }
        }
        throw new InvalidOperationException($"Jiaxing has no application {remoteNumber} filed by Songjiang");
    }

    private static async Task<Guid> UploadAsync(PlatformProcess platform, string user, string name)
    {
        var file = new ByteArrayContent(CaseDriver.Pdf);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        using var form = new MultipartFormDataContent { { file, "file", name } };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases/uploads") { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await FederatedPlatforms.TokenAsync(platform, user));
        using var response = await platform.Gateway.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
    }

    private static async Task<List<JsonElement>> TasksAsync(PlatformProcess platform, string user, string number)
    {
        var page = await FederatedPlatforms.AsUserAsync(platform, user, HttpMethod.Get, "/api/cases/tasks?pageSize=100");
        return [.. page.GetProperty("items").EnumerateArray().Where(t => t.GetProperty("applicationNumber").GetString() == number).Select(t => t.Clone())];
    }

    private static async Task ActAsync(PlatformProcess platform, string user, string number, string action, string? opinion = null, string[]? materials = null)
    {
        var tasks = await EventuallyAsync(() => TasksAsync(platform, user, number), t => t.Count == 1, $"{user}'s task on {number} in {platform.Name}");
        var id = tasks[0].GetProperty("id").GetGuid();
        await FederatedPlatforms.AsUserAsync(platform, user, HttpMethod.Post, $"/api/cases/tasks/{id}/claim");
        await FederatedPlatforms.AsUserAsync(platform, user, HttpMethod.Post, $"/api/cases/tasks/{id}/complete", new { action, opinion, materials });
    }

    private static async Task<List<JsonElement>> TimelineAsync(PlatformProcess platform, string user, string number) =>
        [.. (await FederatedPlatforms.AsUserAsync(platform, user, HttpMethod.Get, $"/api/cases/applications/{number}/timeline")).EnumerateArray().Select(e => e.Clone())];

    private static async Task<JsonElement> TimelineStepAsync(PlatformProcess platform, string user, string number, string step) =>
        (await EventuallyAsync(() => TimelineAsync(platform, user, number), t => t.Any(e => e.GetProperty("step").GetString() == step),
            $"“{step}” on {number} in {platform.Name}")).First(e => e.GetProperty("step").GetString() == step);

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(500);
        }
    }
}
