using Songjiang.Notifications.Tests.Support;
using Songjiang.Testing;
using System.Net;
using System.Text.Json;

namespace Songjiang.Notifications.Tests;

/// <summary>The inbox through the gateway: filters, paging, read state, preferences — and nothing of anyone else's.</summary>
public sealed class InboxApiTests(NotificationsFixture platform) : IClassFixture<NotificationsFixture>
{
    [Fact]
    public async Task An_enterprise_filters_pages_and_marks_its_messages_read()
    {
        var enterprise = await platform.UserTokenAsync("ent-g60bio");
        var numbers = Enumerable.Range(0, 3).Select(_ => Events.NewNumber()).ToList();
        foreach (var number in numbers)
        {
            await platform.PublishAsync(Events.Accepted(Guid.NewGuid(), number, Events.G60Bio));
        }
        await platform.PublishAsync(Events.Rejected(Guid.NewGuid(), numbers[0], Events.G60Bio));
        await platform.InboxEventuallyAsync(enterprise, items => numbers.All(n => NotificationsFixture.About(items, n).Count > 0) &&
            NotificationsFixture.About(items, numbers[0]).Count == 2);

        var unreadBefore = await UnreadAsync(enterprise);
        Assert.True(unreadBefore >= 4);

        using (var page = await platform.GetAsync("/api/notifications/?category=ApplicationAccepted&pageSize=2&page=1", enterprise))
        {
            var body = await PlatformFixture.JsonOf(page);
            Assert.Equal(2, body.GetProperty("items").GetArrayLength());
            Assert.True(body.GetProperty("total").GetInt32() >= 3);
            Assert.All(body.GetProperty("items").EnumerateArray(), i => Assert.Equal("ApplicationAccepted", i.GetProperty("category").GetString()));
        }

        var rejected = (await platform.InboxAsync(enterprise, "&category=ApplicationRejected&unread=true"))
            .Single(i => i.GetProperty("subject").GetString() == numbers[0]);
        using (var read = await platform.SendAsync(HttpMethod.Post, $"/api/notifications/{rejected.GetProperty("id").GetString()}/read", enterprise))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            var view = await PlatformFixture.JsonOf(read);
            Assert.True(view.GetProperty("read").GetBoolean());
            Assert.EndsWith("+08:00", view.GetProperty("readAt").GetString());
        }
        // Other tests of this fixture may reach the same enterprise meanwhile: check the message, not the count.
        Assert.DoesNotContain(await platform.InboxAsync(enterprise, "&unread=true"), i => i.GetProperty("id").GetString() == rejected.GetProperty("id").GetString());

        using (var all = await platform.SendAsync(HttpMethod.Post, "/api/notifications/read-all", enterprise))
        {
            Assert.True((await PlatformFixture.JsonOf(all)).GetProperty("marked").GetInt32() >= unreadBefore - 1);
        }
        Assert.Equal(0, await UnreadAsync(enterprise));
    }

    [Fact]
    public async Task Another_enterprise_cannot_read_list_or_mark_a_message_that_is_not_its_own()
    {
        var number = Events.NewNumber();
        await platform.PublishAsync(Events.Rejected(Guid.NewGuid(), number));
        var owner = await platform.UserTokenAsync("ent-zhisuan");
        var message = NotificationsFixture.About(await platform.InboxEventuallyAsync(owner, items => NotificationsFixture.About(items, number).Count == 1), number)[0];
        var id = message.GetProperty("id").GetString();

        var attacker = await platform.UserTokenAsync("ent-g60bio");
        using (var refused = await platform.SendAsync(HttpMethod.Post, $"/api/notifications/{id}/read", attacker))
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }
        // A caseworker of the department that handled it has no business in the enterprise's inbox either.
        var caseworker = await platform.UserTokenAsync("scj-approver");
        using (var refused = await platform.SendAsync(HttpMethod.Post, $"/api/notifications/{id}/read", caseworker))
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }
        Assert.Empty(NotificationsFixture.About(await platform.InboxAsync(attacker, "&subject=" + number), number));
        await platform.SendAsync(HttpMethod.Post, "/api/notifications/read-all", attacker);
        var still = NotificationsFixture.About(await platform.InboxAsync(owner, "&subject=" + number), number).Single();
        Assert.False(still.GetProperty("read").GetBoolean());

        // Headers that claim another identity are stripped by the gateway; without a token there is no inbox at all.
        using var anonymous = await platform.GetAsync("/api/notifications/", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Theory]
    [InlineData("/api/notifications/?category=Unknown", "category")]
    [InlineData("/api/notifications/?page=0", "page")]
    [InlineData("/api/notifications/?pageSize=500", "pageSize")]
    public async Task Bad_query_values_are_refused_naming_the_field_in_Chinese(string path, string field)
    {
        var enterprise = await platform.UserTokenAsync("ent-zhisuan");
        using var response = await platform.GetAsync(path, enterprise);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await PlatformFixture.JsonOf(response);
        var message = problem.GetProperty("errors").GetProperty(field)[0].GetString()!;
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", message);
    }

    [Fact]
    public async Task A_muted_category_writes_no_message_but_deadlines_and_decisions_cannot_be_muted()
    {
        var enterprise = await platform.UserTokenAsync("ent-zhisuan");
        using (var refused = await platform.SendAsync(HttpMethod.Put, "/api/notifications/preferences/", enterprise,
            new { mutedCategories = new[] { "CorrectionRequested" }, email = false, sms = false }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("不能屏蔽", (await PlatformFixture.JsonOf(refused)).GetProperty("errors").GetProperty("mutedCategories")[0].GetString());
        }
        using (var refused = await platform.SendAsync(HttpMethod.Put, "/api/notifications/preferences/", enterprise,
            new { mutedCategories = Array.Empty<string>(), email = false, sms = true, mobileNumber = "12345" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True((await PlatformFixture.JsonOf(refused)).GetProperty("errors").TryGetProperty("mobileNumber", out _));
        }

        using (var muted = await platform.SendAsync(HttpMethod.Put, "/api/notifications/preferences/", enterprise,
            new { mutedCategories = new[] { "SubscriptionMatched" }, email = false, sms = false }))
        {
            Assert.Equal(HttpStatusCode.OK, muted.StatusCode);
        }
        try
        {
            var quiet = Guid.NewGuid();
            var number = Events.NewNumber();
            await platform.PublishAsync(Events.SubscriptionMatched(quiet));
            await platform.PublishAsync(Events.CorrectionRequested(Guid.NewGuid(), number));
            await platform.InboxEventuallyAsync(enterprise, items => NotificationsFixture.About(items, number).Count == 1);
            await Task.Delay(300);
            Assert.Empty(NotificationsFixture.About(await platform.InboxAsync(enterprise), quiet.ToString()));
        }
        finally
        {
            (await platform.SendAsync(HttpMethod.Put, "/api/notifications/preferences/", enterprise,
                new { mutedCategories = Array.Empty<string>(), email = false, sms = false })).Dispose();
        }
    }

    [Fact]
    public async Task The_gateway_publishes_the_service_OpenAPI_document()
    {
        using var response = await platform.Gateway.GetAsync("/openapi/notifications.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = (await PlatformFixture.JsonOf(response)).GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/notifications/stream", out _));
        Assert.True(paths.TryGetProperty("/api/notifications/unread-count", out _));
    }

    private async Task<int> UnreadAsync(string token)
    {
        using var response = await platform.GetAsync("/api/notifications/unread-count", token);
        return (await PlatformFixture.JsonOf(response)).GetProperty("unread").GetInt32();
    }
}
