using Songjiang.Licenses.Tests.Support;
using Songjiang.Testing;
using System.Net;
using System.Text.Json;

namespace Songjiang.Licenses.Tests.Apis;

/// <summary>Issuing and revoking publish integration events that other services act on (here: enterprise qualifications).</summary>
public sealed class LicenceEventsTests(LicensesFixture platform)
{
    private static readonly object FoodLicence = new
    {
        typeCode = "food-business-licence",
        holder = new { name = "上海G60生物医药有限公司", uscc = LicensesFixture.G60Bio },
        fields = new Dictionary<string, object>
        {
            ["legalRepresentative"] = "陈静",
            ["premises"] = "上海市松江区九亭镇九新公路339号",
            ["mainBusiness"] = "单位食堂",
            ["businessItems"] = "热食类食品制售",
        },
    };

    private async Task<bool> EventuallyAsync(Func<JsonElement, bool> condition)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            using var response = await platform.SendAsync(HttpMethod.Get, "/api/enterprises/me", "ent-g60bio");
            if (response.StatusCode == HttpStatusCode.OK && condition(await PlatformFixture.JsonOf(response)))
            {
                return true;
            }
            await Task.Delay(100);
        }
        return false;
    }

    private static bool HoldsFoodLicence(JsonElement profile, string number) =>
        profile.TryGetProperty("qualifications", out var qualifications)
        && qualifications.EnumerateArray().Any(q => q.GetProperty("kind").GetString() == "licence:food-business-licence"
            && q.ToString().Contains(number, StringComparison.Ordinal));

    [Fact]
    public async Task An_issued_licence_becomes_a_qualification_of_its_holder_and_revocation_removes_it()
    {
        using var issued = await platform.SendAsync(HttpMethod.Post, "/api/licenses", "scj-approver", FoodLicence);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var number = (await PlatformFixture.JsonOf(issued)).GetProperty("licence").GetProperty("number").GetString()!;

        Assert.True(await EventuallyAsync(profile => HoldsFoodLicence(profile, number)), "the licence-issued event did not arrive");

        using var revoked = await platform.SendAsync(HttpMethod.Post, $"/api/licenses/{number}/revoke", "scj-approver", new { reason = "食品安全事故，吊销" });
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);

        Assert.True(await EventuallyAsync(profile => !HoldsFoodLicence(profile, number)), "the licence-status-changed event did not arrive");
    }
}
