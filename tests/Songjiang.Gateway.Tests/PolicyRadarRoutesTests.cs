using Songjiang.Testing;
using System.Net;
using System.Net.Http.Json;

namespace Songjiang.Gateway.Tests;

public sealed class PolicyRadarRoutesTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    [Theory]
    [InlineData("/api/policyradar/search?q=%E7%A0%94%E5%8F%91")]
    [InlineData("/api/policyradar/policies/")]
    [InlineData("/api/policyradar/policies/?level=G60&openNow=true")]
    public async Task Published_policies_are_searched_and_read_without_a_token(string path)
    {
        using var response = await platform.GetAsync(path, token: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await PlatformFixture.JsonOf(response)).TryGetProperty("facets", out _));
    }

    [Theory]
    [InlineData("/api/policyradar/manage/policies/")]
    [InlineData("/api/policyradar/enterprises/91310117MA1J3GKL0Q/matches")]
    [InlineData("/api/policyradar/about")]
    public async Task Everything_else_of_the_policy_radar_still_needs_a_token(string path)
    {
        using var response = await platform.GetAsync(path, token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Writes_under_the_public_paths_are_not_anonymous()
    {
        using var response = await platform.Gateway.PostAsync("/api/policyradar/policies/", JsonContent.Create(new { title = "x" }));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
