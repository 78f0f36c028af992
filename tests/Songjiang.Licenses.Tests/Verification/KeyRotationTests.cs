using Songjiang.Licenses.Tests.Support;
using Songjiang.Testing;
using System.Net;
using System.Text.Json;

namespace Songjiang.Licenses.Tests.Verification;

public sealed class KeyRotationTests(LicensesFixture platform)
{
    [Fact]
    public async Task After_rotation_new_licences_use_the_new_key_and_earlier_ones_still_verify()
    {
        var before = await platform.IssueBusinessLicenceAsync();
        var oldKid = JsonDocument.Parse(await platform.DocumentAsync(before)).RootElement.GetProperty("seal").GetProperty("kid").GetString();

        using var rotate = await platform.SendAsync(HttpMethod.Post, $"/api/licenses/authorities/{LicensesFixture.MarketRegulation}/keys/rotate", "admin");
        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        var newKid = (await PlatformFixture.JsonOf(rotate)).GetProperty("kid").GetString();
        var after = await platform.IssueBusinessLicenceAsync();

        Assert.NotEqual(oldKid, newKid);
        Assert.Equal(newKid, JsonDocument.Parse(await platform.DocumentAsync(after)).RootElement.GetProperty("seal").GetProperty("kid").GetString());
        Assert.Equal("valid", LicensesFixture.OutcomeOf(await platform.VerifyDocumentAsync(await platform.DocumentAsync(before))));
        using var keys = await platform.SendAsync(HttpMethod.Get, "/api/licenses/public/issuer-keys", null);
        var listed = (await PlatformFixture.JsonOf(keys)).GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal("retired", listed.Single(k => k.GetProperty("kid").GetString() == oldKid).GetProperty("status").GetString());
        Assert.Equal("active", listed.Single(k => k.GetProperty("kid").GetString() == newKid).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Only_an_administrator_rotates_keys()
    {
        using var response = await platform.SendAsync(HttpMethod.Post, $"/api/licenses/authorities/{LicensesFixture.MarketRegulation}/keys/rotate", "scj-approver");
        using var unknown = await platform.SendAsync(HttpMethod.Post, "/api/licenses/authorities/NOPE/keys/rotate", "admin");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
