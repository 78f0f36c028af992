using Songjiang.Licenses.Api.Status;
using Songjiang.Licenses.Tests.Apis;
using Songjiang.Licenses.Tests.Support;
using Songjiang.Testing;
using System.Net;

namespace Songjiang.Licenses.Tests.Verification;

public sealed class RevocationTests(LicensesFixture platform)
{
    private async Task<int> IndexOfAsync(string number)
    {
        using var response = await platform.SendAsync(HttpMethod.Get, $"/api/licenses/{number}", "scj-approver");
        return (await PlatformFixture.JsonOf(response)).GetProperty("licence").GetProperty("statusListIndex").GetInt32();
    }

    private async Task<StatusList> StatusListAsync(string purpose)
    {
        using var response = await platform.SendAsync(HttpMethod.Get, $"/api/licenses/public/status-lists/{purpose}", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var subject = (await PlatformFixture.JsonOf(response)).GetProperty("credentialSubject");
        Assert.Equal(purpose, subject.GetProperty("statusPurpose").GetString());
        return StatusList.Decode(subject.GetProperty("encodedList").GetString()!);
    }

    [Fact]
    public async Task A_suspended_licence_verifies_as_suspended_until_reinstated_and_a_revoked_one_as_revoked()
    {
        var number = await platform.IssueBusinessLicenceAsync();
        var document = await platform.DocumentAsync(number);
        var index = await IndexOfAsync(number);

        using var suspend = await platform.SendAsync(HttpMethod.Post, $"/api/licenses/{number}/suspend", "scj-approver", new { reason = "未按规定年报，暂扣" });
        Assert.Equal(HttpStatusCode.OK, suspend.StatusCode);
        var suspended = await platform.VerifyDocumentAsync(document);
        Assert.Equal("suspended", LicensesFixture.OutcomeOf(suspended));
        Assert.Contains("未按规定年报", suspended.GetProperty("reasons").ToString(), StringComparison.Ordinal);
        Assert.True((await StatusListAsync("suspension")).Get(index));

        using var reinstate = await platform.SendAsync(HttpMethod.Post, $"/api/licenses/{number}/reinstate", "scj-approver", new { reason = "已补报" });
        Assert.Equal(HttpStatusCode.OK, reinstate.StatusCode);
        Assert.Equal("valid", LicensesFixture.OutcomeOf(await platform.VerifyDocumentAsync(document)));
        Assert.False((await StatusListAsync("suspension")).Get(index));

        using var revoke = await platform.SendAsync(HttpMethod.Post, $"/api/licenses/{number}/revoke", "scj-approver", new { reason = "以欺骗手段取得登记，撤销" });
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        using var online = await platform.SendAsync(HttpMethod.Get, $"/api/licenses/public/verify/{number}", null);
        Assert.Equal("revoked", LicensesFixture.OutcomeOf(await PlatformFixture.JsonOf(online)));
        Assert.Equal("revoked", LicensesFixture.OutcomeOf(await platform.VerifyDocumentAsync(document)));
        Assert.True((await StatusListAsync("revocation")).Get(index));

        using var again = await platform.SendAsync(HttpMethod.Post, $"/api/licenses/{number}/reinstate", "scj-approver", new { reason = "撤回" });
        await IssuanceTests.AssertProblem(again, HttpStatusCode.Conflict, null);
    }

    [Fact]
    public async Task A_status_change_needs_a_reason_and_an_approver_of_the_issuing_authority()
    {
        var number = await platform.IssueBusinessLicenceAsync();

        using var noReason = await platform.SendAsync(HttpMethod.Post, $"/api/licenses/{number}/revoke", "scj-approver", new { reason = " " });
        using var reviewer = await platform.SendAsync(HttpMethod.Post, $"/api/licenses/{number}/revoke", "scj-reviewer", new { reason = "理由" });
        using var otherDepartment = await platform.SendAsync(HttpMethod.Post, $"/api/licenses/{number}/revoke", "hr-approver", new { reason = "理由" });
        using var holder = await platform.SendAsync(HttpMethod.Post, $"/api/licenses/{number}/revoke", "ent-zhisuan", new { reason = "理由" });
        using var unknown = await platform.SendAsync(HttpMethod.Post, "/api/licenses/YYZZ-310117-2026-NOSUCH00/revoke", "scj-approver", new { reason = "理由" });

        await IssuanceTests.AssertProblem(noReason, HttpStatusCode.BadRequest, "reason");
        await IssuanceTests.AssertProblem(reviewer, HttpStatusCode.Forbidden, null);
        await IssuanceTests.AssertProblem(otherDepartment, HttpStatusCode.Forbidden, null);
        Assert.Equal(HttpStatusCode.Forbidden, holder.StatusCode);
        await IssuanceTests.AssertProblem(unknown, HttpStatusCode.NotFound, null);
        using var online = await platform.SendAsync(HttpMethod.Get, $"/api/licenses/public/verify/{number}", null);
        Assert.Equal("valid", LicensesFixture.OutcomeOf(await PlatformFixture.JsonOf(online)));
    }

    [Fact]
    public async Task Status_lists_are_cacheable_and_answer_not_modified_to_a_matching_etag()
    {
        using var first = await platform.SendAsync(HttpMethod.Get, "/api/licenses/public/status-lists/revocation", null);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.True(first.Headers.CacheControl?.Public);
        Assert.NotNull(first.Headers.CacheControl?.MaxAge);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/licenses/public/status-lists/revocation");
        request.Headers.IfNoneMatch.Add(etag);
        using var second = await platform.Gateway.SendAsync(request);
        using var unknown = await platform.SendAsync(HttpMethod.Get, "/api/licenses/public/status-lists/bogus", null);

        // Another test may revoke in between; then the list (and its tag) has changed and a full answer is right.
        Assert.True(second.StatusCode == HttpStatusCode.NotModified || second.Headers.ETag?.Tag != etag.Tag, $"{second.StatusCode}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
