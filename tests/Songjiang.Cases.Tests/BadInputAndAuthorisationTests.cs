using Songjiang.Testing;
using System.Net;
using System.Text;
using Songjiang.Cases.Tests.Support;

namespace Songjiang.Cases.Tests;

/// <summary>Bad input gets a 4xx that names the problem and writes nothing; others' cases and tasks do not exist for the caller.</summary>
public sealed class BadInputAndAuthorisationTests(CasesPlatform platform) : IClassFixture<CasesPlatform>
{
    private readonly CaseDriver _cases = new(platform);

    private async Task<object> ValidDeregistrationAsync(string user, string uscc) => new
    {
        matterCode = "SJ-RS-002",
        form = new { uscc, reason = "经营调整", arrearsSettled = true },
        materials = await _cases.UploadAllAsync(user, "application", "settlement"),
    };

    [Fact]
    public async Task Schema_violations_are_listed_field_by_field()
    {
        var problem = await _cases.ExpectAsync(HttpStatusCode.BadRequest, "ent-zhisuan", HttpMethod.Post, "/api/cases/applications", new
        {
            matterCode = "SJ-RS-002",
            form = new { uscc = "NOT-A-CODE", arrearsSettled = "yes" },
            materials = new Dictionary<string, Guid>(),
        });
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("form/uscc", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("form/reason", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("form/arrearsSettled", out _), errors.ToString());
    }

    [Fact]
    public async Task Unknown_matter_missing_materials_and_foreign_uploads_are_refused()
    {
        var unknown = await _cases.ExpectAsync(HttpStatusCode.BadRequest, "ent-zhisuan", HttpMethod.Post, "/api/cases/applications",
            new { matterCode = "SJ-XX-999", form = new { } });
        Assert.Contains("SJ-XX-999", unknown.GetProperty("errors").GetProperty("matterCode")[0].GetString(), StringComparison.Ordinal);

        var missing = await _cases.ExpectAsync(HttpStatusCode.BadRequest, "ent-zhisuan", HttpMethod.Post, "/api/cases/applications", new
        {
            matterCode = "SJ-RS-002",
            form = new { uscc = CaseDriver.Zhisuan, reason = "经营调整", arrearsSettled = true },
            materials = new Dictionary<string, Guid> { ["application"] = await _cases.UploadAsync("ent-zhisuan") },
        });
        Assert.Contains("请上传《欠费结清证明》", missing.GetProperty("errors").GetProperty("materials.settlement")[0].GetString(), StringComparison.Ordinal);

        // Another enterprise's upload cannot be attached.
        var theirs = await _cases.UploadAsync("ent-g60bio");
        var foreign = await _cases.ExpectAsync(HttpStatusCode.BadRequest, "ent-zhisuan", HttpMethod.Post, "/api/cases/applications", new
        {
            matterCode = "SJ-RS-002",
            form = new { uscc = CaseDriver.Zhisuan, reason = "经营调整", arrearsSettled = true },
            materials = new Dictionary<string, Guid> { ["application"] = theirs, ["settlement"] = await _cases.UploadAsync("ent-zhisuan") },
        });
        Assert.True(foreign.GetProperty("errors").TryGetProperty("materials.application", out _));

        var neither = await _cases.ExpectAsync(HttpStatusCode.BadRequest, "ent-zhisuan", HttpMethod.Post, "/api/cases/applications", new { form = new { } });
        Assert.True(neither.GetProperty("errors").TryGetProperty("matterCode", out _));
    }

    [Fact]
    public async Task Malformed_json_and_wrong_types_are_problems_not_failures()
    {
        using var malformed = await _cases.SendAsync("ent-zhisuan", HttpMethod.Post, "/api/cases/applications",
            new StringContent("{\"matterCode\": \"SJ-RS-002\", ", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);

        using var wrongType = await _cases.SendAsync("ent-zhisuan", HttpMethod.Post, "/api/cases/applications",
            new StringContent("{\"matterCode\": \"SJ-RS-002\", \"commitment\": \"maybe\", \"form\": {}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
    }

    [Fact]
    public async Task Uploads_are_limited_in_size_and_type_and_hashed()
    {
        using var tooLarge = await _cases.UploadRawAsync("ent-zhisuan", [.. CaseDriver.Pdf, .. new byte[CasesPlatform.MaxUploadBytes]], "big.pdf", "application/pdf");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);

        using var script = await _cases.UploadRawAsync("ent-zhisuan", Encoding.UTF8.GetBytes("#!/bin/sh\nrm -rf /\n"), "run.sh", "application/pdf");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, script.StatusCode);

        using var disguised = await _cases.UploadRawAsync("ent-zhisuan", CaseDriver.Pdf, "scan.png", "image/png");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, disguised.StatusCode);

        using var empty = await _cases.UploadRawAsync("ent-zhisuan", [], "empty.pdf", "application/pdf");
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);

        using var ok = await _cases.UploadRawAsync("ent-zhisuan", CaseDriver.Pdf, "ok.pdf", "application/pdf");
        var body = await PlatformFixture.JsonOf(ok);
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(CaseDriver.Pdf)), body.GetProperty("sha256").GetString());

        using var reviewer = await _cases.UploadRawAsync("hr-reviewer", CaseDriver.Pdf, "ok.pdf", "application/pdf");
        Assert.Equal(HttpStatusCode.Forbidden, reviewer.StatusCode);
    }

    [Fact]
    public async Task A_repeated_submit_with_the_same_idempotency_key_returns_the_same_application()
    {
        var request = await ValidDeregistrationAsync("ent-zhisuan", CaseDriver.Zhisuan);
        var key = Guid.NewGuid().ToString();
        var first = await _cases.SubmitAsync("ent-zhisuan", request, key);
        var again = await _cases.ExpectAsync(HttpStatusCode.OK, "ent-zhisuan", HttpMethod.Post, "/api/cases/applications", request, key);
        Assert.Equal(first.GetProperty("summary").GetProperty("number").GetString(), again.GetProperty("summary").GetProperty("number").GetString());
        var number = first.GetProperty("summary").GetProperty("number").GetString()!;
        Assert.Single(await _cases.TasksAsync("hr-clerk", number));

        // The same key for another matter is a conflict, not a silent reuse.
        var other = await _cases.ExpectAsync(HttpStatusCode.Conflict, "ent-zhisuan", HttpMethod.Post, "/api/cases/applications",
            new { matterCode = "SJ-SW-002", form = new { } }, key);
        Assert.Contains(number, other.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tasks_must_be_claimed_before_completion_and_a_claim_by_someone_else_is_a_conflict()
    {
        var number = (await _cases.SubmitAsync("ent-zhisuan", await ValidDeregistrationAsync("ent-zhisuan", CaseDriver.Zhisuan)))
            .GetProperty("summary").GetProperty("number").GetString()!;
        await _cases.ActAsync("hr-clerk", number, "accept");
        var task = Assert.Single(await _cases.TasksAsync("hr-reviewer", number)).GetProperty("id").GetGuid();

        var unclaimed = await _cases.ExpectAsync(HttpStatusCode.Conflict, "hr-reviewer", HttpMethod.Post, $"/api/cases/tasks/{task}/complete", new { action = "approve" });
        Assert.Contains("请先签收", unclaimed.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Reassignment goes only to an existing caseworker of the department who holds the step's role, named as the directory names them.
        var nobody = await _cases.ExpectAsync(HttpStatusCode.BadRequest, "hr-approver", HttpMethod.Post, $"/api/cases/tasks/{task}/reassign", new { userId = "someone-else", name = "吴刚" });
        Assert.Contains("someone-else", nobody.GetProperty("errors").GetProperty("userId")[0].GetString(), StringComparison.Ordinal);
        await _cases.ExpectAsync(HttpStatusCode.BadRequest, "hr-approver", HttpMethod.Post, $"/api/cases/tasks/{task}/reassign", new { userId = "tax-reviewer" });
        await _cases.ExpectAsync(HttpStatusCode.BadRequest, "hr-approver", HttpMethod.Post, $"/api/cases/tasks/{task}/reassign", new { userId = "hr-clerk" });
        var handed = await _cases.ExpectAsync(HttpStatusCode.OK, "hr-approver", HttpMethod.Post, $"/api/cases/tasks/{task}/reassign", new { userId = "hr-reviewer", name = "冒名顶替" });
        Assert.Equal("吴刚（区人社局 审查）", handed.GetProperty("claimedByName").GetString());
        Assert.True(Guid.TryParse(handed.GetProperty("claimedBy").GetString(), out _));
        await _cases.ExpectAsync(HttpStatusCode.Forbidden, "hr-reviewer", HttpMethod.Post, $"/api/cases/tasks/{task}/reassign", new { userId = "x" });
        await _cases.ExpectAsync(HttpStatusCode.OK, "hr-approver", HttpMethod.Post, $"/api/cases/tasks/{task}/release");
        await _cases.ExpectAsync(HttpStatusCode.OK, "hr-reviewer", HttpMethod.Post, $"/api/cases/tasks/{task}/claim");
        await _cases.ExpectAsync(HttpStatusCode.BadRequest, "hr-reviewer", HttpMethod.Post, $"/api/cases/tasks/{task}/complete", new { action = "rubber-stamp" });
        await _cases.ExpectAsync(HttpStatusCode.OK, "hr-reviewer", HttpMethod.Post, $"/api/cases/tasks/{task}/complete", new { action = "approve" });
        await _cases.ExpectAsync(HttpStatusCode.Conflict, "hr-reviewer", HttpMethod.Post, $"/api/cases/tasks/{task}/complete", new { action = "approve" });
    }

    [Fact]
    public async Task Another_department_s_task_and_another_enterprise_s_case_do_not_exist_for_the_caller()
    {
        var number = (await _cases.SubmitAsync("ent-zhisuan", await ValidDeregistrationAsync("ent-zhisuan", CaseDriver.Zhisuan)))
            .GetProperty("summary").GetProperty("number").GetString()!;
        var task = Assert.Single(await _cases.TasksAsync("hr-clerk", number)).GetProperty("id").GetGuid();

        // Another department: its clerk neither sees, claims nor completes the task.
        Assert.Empty(await _cases.TasksAsync("tax-clerk", number));
        await _cases.ExpectAsync(HttpStatusCode.NotFound, "tax-clerk", HttpMethod.Get, $"/api/cases/tasks/{task}");
        await _cases.ExpectAsync(HttpStatusCode.NotFound, "tax-clerk", HttpMethod.Post, $"/api/cases/tasks/{task}/claim");
        await _cases.ExpectAsync(HttpStatusCode.NotFound, "tax-clerk", HttpMethod.Post, $"/api/cases/tasks/{task}/complete", new { action = "accept" });
        await _cases.ExpectAsync(HttpStatusCode.NotFound, "tax-reviewer", HttpMethod.Get, $"/api/cases/applications/{number}");

        // The same department but the wrong role may see the list entry only through its own role.
        await _cases.ExpectAsync(HttpStatusCode.Forbidden, "hr-reviewer", HttpMethod.Post, $"/api/cases/tasks/{task}/claim");

        // Another enterprise: the case, its timeline, its files and its answers do not exist.
        await _cases.ExpectAsync(HttpStatusCode.NotFound, "ent-g60bio", HttpMethod.Get, $"/api/cases/applications/{number}");
        await _cases.ExpectAsync(HttpStatusCode.NotFound, "ent-g60bio", HttpMethod.Get, $"/api/cases/applications/{number}/timeline");
        await _cases.ExpectAsync(HttpStatusCode.NotFound, "ent-g60bio", HttpMethod.Get, $"/api/cases/applications/{number}/materials/application");
        await _cases.ExpectAsync(HttpStatusCode.NotFound, "ent-g60bio", HttpMethod.Post, $"/api/cases/applications/{number}/resubmit", new { });
        var theirs = await _cases.ExpectAsync(HttpStatusCode.OK, "ent-g60bio", HttpMethod.Get, "/api/cases/applications?pageSize=100");
        Assert.DoesNotContain(theirs.GetProperty("items").EnumerateArray(), a => a.GetProperty("number").GetString() == number);

        // An enterprise applies only for itself, and has no work list.
        await _cases.ExpectAsync(HttpStatusCode.Forbidden, "ent-g60bio", HttpMethod.Post, "/api/cases/applications", new
        {
            matterCode = "SJ-RS-002", form = new { uscc = CaseDriver.Zhisuan, reason = "x", arrearsSettled = true }, applicantUscc = CaseDriver.Zhisuan,
        });
        await _cases.ExpectAsync(HttpStatusCode.Forbidden, "ent-g60bio", HttpMethod.Get, "/api/cases/tasks");

        // The applicant downloads its own file; the department's caseworker too.
        using var own = await _cases.SendAsync("ent-zhisuan", HttpMethod.Get, $"/api/cases/applications/{number}/materials/application");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(CaseDriver.Pdf, await own.Content.ReadAsByteArrayAsync());
        using var caseworker = await _cases.SendAsync("hr-reviewer", HttpMethod.Get, $"/api/cases/applications/{number}/materials/application");
        Assert.Equal(HttpStatusCode.OK, caseworker.StatusCode);
    }

    [Fact]
    public async Task A_window_clerk_applies_on_behalf_of_an_enterprise_and_the_case_says_so()
    {
        var materials = await _cases.UploadAllAsync("hr-clerk", "application", "settlement");
        var missingApplicant = await _cases.ExpectAsync(HttpStatusCode.BadRequest, "hr-clerk", HttpMethod.Post, "/api/cases/applications", new
        {
            matterCode = "SJ-RS-002", form = new { uscc = CaseDriver.G60Bio, reason = "经营调整", arrearsSettled = true }, materials,
        });
        Assert.True(missingApplicant.GetProperty("errors").TryGetProperty("applicantUscc", out _));

        var view = await _cases.SubmitAsync("hr-clerk", new
        {
            matterCode = "SJ-RS-002", form = new { uscc = CaseDriver.G60Bio, reason = "经营调整", arrearsSettled = true }, materials,
            applicantUscc = CaseDriver.G60Bio, applicantName = "上海G60生物医药有限公司",
            authorisation = await _cases.UploadAsync("hr-clerk", name: "授权委托书.pdf"),
        });
        Assert.Equal("window", view.GetProperty("summary").GetProperty("channel").GetString());
        var number = view.GetProperty("summary").GetProperty("number").GetString()!;
        // The enterprise sees the case made for it.
        await _cases.ApplicationAsync("ent-g60bio", number);
    }
}
