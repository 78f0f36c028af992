using Songjiang.Testing;
using System.Net;
using System.Text.Json;

namespace Songjiang.PolicyRadar.Tests;

public sealed class PolicyWorkflowTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    private readonly RadarTestClient _radar = new(platform);

    private static readonly JsonElement SoftwareFirms =
        JsonDocument.Parse("""{ "all": [ { "field": "industryCode", "op": "startsWith", "value": ["I65"] }, { "field": "employees", "op": "gte", "value": 10 } ] }""").RootElement;

    [Fact]
    public async Task Draft_review_and_publish_are_done_by_different_people_and_publishing_is_an_event_and_searchable_at_once()
    {
        var clerk = await platform.UserTokenAsync("kw-clerk");
        var reviewer = await platform.UserTokenAsync("kw-reviewer");
        var approver = await platform.UserTokenAsync("kw-approver");
        var created = await _radar.OkJsonAsync(HttpMethod.Post, "/api/policyradar/manage/policies/", clerk,
            RadarTestClient.Draft("松江区算力券试点办法", SoftwareFirms, text: "向软件企业发放算力券，用于租用智能算力。"));
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal("Draft", created.GetProperty("current").GetProperty("status").GetString());

        using (var early = await _radar.SendAsync(HttpMethod.Post, $"/api/policyradar/manage/policies/{id}/publish", approver))
        {
            RadarTestClient.AssertStatus(HttpStatusCode.Conflict, early);   // not reviewed yet
        }
        await _radar.OkJsonAsync(HttpMethod.Post, $"/api/policyradar/manage/policies/{id}/submit", clerk);
        using (var selfReview = await _radar.SendAsync(HttpMethod.Post, $"/api/policyradar/manage/policies/{id}/review", clerk, new { decision = "approve" }))
        {
            RadarTestClient.AssertStatus(HttpStatusCode.Forbidden, selfReview);
        }
        await _radar.OkJsonAsync(HttpMethod.Post, $"/api/policyradar/manage/policies/{id}/review", reviewer, new { decision = "approve" });
        using (var reviewerPublishes = await _radar.SendAsync(HttpMethod.Post, $"/api/policyradar/manage/policies/{id}/publish", reviewer))
        {
            RadarTestClient.AssertStatus(HttpStatusCode.Forbidden, reviewerPublishes);
        }
        var published = await _radar.OkJsonAsync(HttpMethod.Post, $"/api/policyradar/manage/policies/{id}/publish", approver);

        Assert.Equal("Published", published.GetProperty("current").GetProperty("status").GetString());
        var search = await _radar.OkJsonAsync(HttpMethod.Get, "/api/policyradar/search?q=算力券", token: null);
        Assert.Equal(id, search.GetProperty("items")[0].GetProperty("policyId").GetGuid());
        await RadarTestClient.EventuallyAsync(async () => (await _radar.EventsAsync("policyradar.policy-published.v1"))
            .Any(e => e.GetProperty("policyId").GetGuid() == id && e.GetProperty("version").GetInt32() == 1
                && e.GetProperty("title").GetString() == "松江区算力券试点办法" && e.GetProperty("level").GetString() == "Songjiang"), "the published event");
    }

    [Fact]
    public async Task An_administrator_who_drafted_a_version_may_not_review_it()
    {
        var admin = await platform.UserTokenAsync("admin");
        var id = (await _radar.OkJsonAsync(HttpMethod.Post, "/api/policyradar/manage/policies/", admin, RadarTestClient.Draft("四眼原则测试政策", SoftwareFirms)))
            .GetProperty("id").GetGuid();
        await _radar.OkJsonAsync(HttpMethod.Post, $"/api/policyradar/manage/policies/{id}/submit", admin);

        using var response = await _radar.SendAsync(HttpMethod.Post, $"/api/policyradar/manage/policies/{id}/review", admin, new { decision = "approve" });

        RadarTestClient.AssertStatus(HttpStatusCode.Forbidden, response);
        Assert.Contains("四眼原则", (await PlatformFixture.JsonOf(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_officer_who_changed_a_draft_once_may_not_review_or_publish_it_after_someone_else_edited_it_last()
    {
        var clerk = await platform.UserTokenAsync("kw-clerk");
        var reviewer = await platform.UserTokenAsync("kw-reviewer");
        var approver = await platform.UserTokenAsync("kw-approver");
        var id = (await _radar.OkJsonAsync(HttpMethod.Post, "/api/policyradar/manage/policies/", clerk, RadarTestClient.Draft("四眼原则多人修改测试", SoftwareFirms)))
            .GetProperty("id").GetGuid();
        // The reviewer and the approver each change the draft, then the clerk edits it last.
        await _radar.OkJsonAsync(HttpMethod.Put, $"/api/policyradar/manage/policies/{id}/draft", reviewer, RadarTestClient.Draft("四眼原则多人修改测试（审查人改）", SoftwareFirms));
        await _radar.OkJsonAsync(HttpMethod.Put, $"/api/policyradar/manage/policies/{id}/draft", approver, RadarTestClient.Draft("四眼原则多人修改测试（审批人改）", SoftwareFirms));
        await _radar.OkJsonAsync(HttpMethod.Put, $"/api/policyradar/manage/policies/{id}/draft", clerk, RadarTestClient.Draft("四眼原则多人修改测试（定稿）", SoftwareFirms));
        await _radar.OkJsonAsync(HttpMethod.Post, $"/api/policyradar/manage/policies/{id}/submit", clerk);

        using (var review = await _radar.SendAsync(HttpMethod.Post, $"/api/policyradar/manage/policies/{id}/review", reviewer, new { decision = "approve" }))
        {
            RadarTestClient.AssertStatus(HttpStatusCode.Forbidden, review);
        }
        // An officer who never touched it reviews; the approver who once changed it still may not publish.
        await _radar.OkJsonAsync(HttpMethod.Post, $"/api/policyradar/manage/policies/{id}/review", await platform.UserTokenAsync("admin"), new { decision = "approve" });
        using var publish = await _radar.SendAsync(HttpMethod.Post, $"/api/policyradar/manage/policies/{id}/publish", approver);
        RadarTestClient.AssertStatus(HttpStatusCode.Forbidden, publish);
    }

    [Fact]
    public async Task An_officer_who_wrote_an_earlier_version_may_not_review_a_later_one()
    {
        var clerk = await platform.UserTokenAsync("kw-clerk");
        var reviewer = await platform.UserTokenAsync("kw-reviewer");
        var approver = await platform.UserTokenAsync("kw-approver");
        var admin = await platform.UserTokenAsync("admin");
        // Version 1 written by the reviewer, reviewed by an administrator, published by the approver.
        var id = (await _radar.OkJsonAsync(HttpMethod.Post, "/api/policyradar/manage/policies/", reviewer, RadarTestClient.Draft("四眼原则版本测试", SoftwareFirms)))
            .GetProperty("id").GetGuid();
        await _radar.OkJsonAsync(HttpMethod.Post, $"/api/policyradar/manage/policies/{id}/submit", reviewer);
        await _radar.OkJsonAsync(HttpMethod.Post, $"/api/policyradar/manage/policies/{id}/review", admin, new { decision = "approve" });
        await _radar.OkJsonAsync(HttpMethod.Post, $"/api/policyradar/manage/policies/{id}/publish", approver);

        // Version 2 drafted by the clerk: the reviewer wrote version 1 and may not review it.
        await _radar.OkJsonAsync(HttpMethod.Put, $"/api/policyradar/manage/policies/{id}/draft", clerk, RadarTestClient.Draft("四眼原则版本测试（修订）", SoftwareFirms));
        await _radar.OkJsonAsync(HttpMethod.Post, $"/api/policyradar/manage/policies/{id}/submit", clerk);
        using var review = await _radar.SendAsync(HttpMethod.Post, $"/api/policyradar/manage/policies/{id}/review", reviewer, new { decision = "approve" });
        RadarTestClient.AssertStatus(HttpStatusCode.Forbidden, review);
        await _radar.OkJsonAsync(HttpMethod.Post, $"/api/policyradar/manage/policies/{id}/review", admin, new { decision = "approve" });
        await _radar.OkJsonAsync(HttpMethod.Post, $"/api/policyradar/manage/policies/{id}/publish", approver);
    }

    [Fact]
    public async Task A_published_version_is_immutable_and_an_edit_makes_a_new_version()
    {
        var id = await _radar.PublishAsync(RadarTestClient.Draft("松江区软件企业首版次奖励", SoftwareFirms));
        var clerk = await platform.UserTokenAsync("kw-clerk");

        var edited = await _radar.OkJsonAsync(HttpMethod.Put, $"/api/policyradar/manage/policies/{id}/draft", clerk,
            RadarTestClient.Draft("松江区软件企业首版次奖励（修订）", SoftwareFirms));

        Assert.Equal(2, edited.GetProperty("latestVersion").GetInt32());
        Assert.Equal(1, edited.GetProperty("publishedVersion").GetInt32());
        var v1 = await _radar.OkJsonAsync(HttpMethod.Get, $"/api/policyradar/policies/{id}/versions/1", token: null);
        Assert.Equal("松江区软件企业首版次奖励", v1.GetProperty("title").GetString());
        var current = await _radar.OkJsonAsync(HttpMethod.Get, $"/api/policyradar/policies/{id}", token: null);
        Assert.Equal(1, current.GetProperty("current").GetProperty("version").GetInt32());
        Assert.False(current.GetProperty("current").TryGetProperty("trail", out _));   // officers' names are not public
        using (var draftHidden = await _radar.SendAsync(HttpMethod.Get, $"/api/policyradar/policies/{id}/versions/2", token: null))
        {
            RadarTestClient.AssertStatus(HttpStatusCode.NotFound, draftHidden);
        }

        await _radar.OkJsonAsync(HttpMethod.Post, $"/api/policyradar/manage/policies/{id}/submit", clerk);
        await _radar.OkJsonAsync(HttpMethod.Post, $"/api/policyradar/manage/policies/{id}/review", await platform.UserTokenAsync("kw-reviewer"), new { decision = "approve" });
        await _radar.OkJsonAsync(HttpMethod.Post, $"/api/policyradar/manage/policies/{id}/publish", await platform.UserTokenAsync("kw-approver"));

        var after = await _radar.OkJsonAsync(HttpMethod.Get, $"/api/policyradar/policies/{id}", token: null);
        Assert.Equal("松江区软件企业首版次奖励（修订）", after.GetProperty("current").GetProperty("title").GetString());
        Assert.Equal(["Published", "Superseded"], after.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("status").GetString()));
        var search = await _radar.OkJsonAsync(HttpMethod.Get, "/api/policyradar/search?q=首版次", token: null);
        Assert.Equal(2, Assert.Single(search.GetProperty("items").EnumerateArray()).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task A_draft_with_invalid_fields_and_criteria_is_400_naming_each()
    {
        var clerk = await platform.UserTokenAsync("kw-clerk");
        var criteria = JsonDocument.Parse("""{ "all": [ { "field": "employees", "op": "like", "value": 1 } ] }""").RootElement;

        using var response = await _radar.SendAsync(HttpMethod.Post, "/api/policyradar/manage/policies/", clerk, new
        {
            title = "", issuingBody = "区科委", level = "District", documentNumber = "松科〔2026〕1号", effectiveFrom = "2026-01-01",
            expiresOn = "2025-01-01", fullText = "正文", benefitType = "cash", criteria,
        });

        RadarTestClient.AssertStatus(HttpStatusCode.BadRequest, response);
        var errors = (await PlatformFixture.JsonOf(response)).GetProperty("errors");
        foreach (var field in new[] { "title", "level", "expiresOn", "benefitType", "criteria.all[0]" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }
    }

    [Fact]
    public async Task Enterprises_and_other_departments_cannot_manage_policies()
    {
        foreach (var user in new[] { "ent-zhisuan", "scj-approver" })
        {
            using var response = await _radar.SendAsync(HttpMethod.Post, "/api/policyradar/manage/policies/", await platform.UserTokenAsync(user),
                RadarTestClient.Draft("越权测试", SoftwareFirms));
            RadarTestClient.AssertStatus(HttpStatusCode.Forbidden, response);
        }
    }
}
