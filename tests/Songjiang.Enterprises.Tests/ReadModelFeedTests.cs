using Songjiang.Testing;
using System.Net;
using System.Text.Json;

namespace Songjiang.Enterprises.Tests;

public sealed class ReadModelFeedTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    [Fact]
    public async Task The_service_account_pages_through_every_profile_in_the_event_shape()
    {
        var token = await ServiceTokenAsync();

        using var first = await platform.GetAsync("/api/enterprises/read-model-feed?limit=1", token);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var page = await PlatformFixture.JsonOf(first);
        var item = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal("91310117MA1H8BXR2W", item.GetProperty("uscc").GetString());   // ordered by USCC
        var profile = item.GetProperty("profile");
        Assert.Equal("上海G60生物医药有限公司", profile.GetProperty("name").GetString());
        Assert.Equal("C2710", profile.GetProperty("industryCode").GetString());
        Assert.Equal("Medium", profile.GetProperty("sizeClass").GetString());
        Assert.True(profile.GetProperty("isListed").GetBoolean());
        Assert.Equal("high-tech", profile.GetProperty("qualifications")[0].GetProperty("kind").GetString());
        Assert.True(item.GetProperty("updatedAt").GetDateTimeOffset() > DateTimeOffset.MinValue);

        var cursor = page.GetProperty("next").GetString();
        using var second = await platform.GetAsync($"/api/enterprises/read-model-feed?limit=1&after={cursor}", token);
        var next = await PlatformFixture.JsonOf(second);
        Assert.Equal("91310117MA1J3GKL0Q", next.GetProperty("items")[0].GetProperty("uscc").GetString());

        using var rest = await platform.GetAsync($"/api/enterprises/read-model-feed?limit=1000&after={cursor}", token);
        var last = await PlatformFixture.JsonOf(rest);
        Assert.False(last.TryGetProperty("next", out var end) && end.ValueKind != JsonValueKind.Null);   // no further page
        Assert.DoesNotContain(last.GetProperty("items").EnumerateArray(), i => i.GetProperty("uscc").GetString() == "91310117MA1H8BXR2W");
    }

    [Theory]
    [InlineData("ent-zhisuan")]
    [InlineData("scj-approver")]
    public async Task Anyone_but_services_and_administrators_is_refused(string user)
    {
        using var response = await platform.GetAsync("/api/enterprises/read-model-feed", await platform.UserTokenAsync(user));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Administrators_read_it_and_a_bad_limit_is_named()
    {
        var admin = await platform.UserTokenAsync("admin");

        using var ok = await platform.GetAsync("/api/enterprises/read-model-feed", admin);
        using var bad = await platform.GetAsync("/api/enterprises/read-model-feed?limit=5000", admin);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await PlatformFixture.JsonOf(bad)).GetProperty("errors").TryGetProperty("limit", out _));
    }

    private async Task<string> ServiceTokenAsync()
    {
        using var response = await PlatformFixture.RequestTokenAsync(platform.Gateway,
            ("grant_type", "client_credentials"), ("client_id", "songjiang-services"), ("client_secret", "demo-services-secret"), ("scope", "api"));
        return await PlatformFixture.AccessTokenOf(response);
    }
}
