using Songjiang.Testing;
using System.Net;
using System.Net.Http.Headers;

namespace Songjiang.Identity.Tests;

/// <summary>The platform with small token-endpoint limits (3 failures per client, 6 per address) to reach them quickly.</summary>
public sealed class ThrottlingFixture : PlatformFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Identity:Throttling:Clients:Failures", "3"),
        new("Identity:Throttling:Clients:Window", "00:15:00"),
        new("Identity:Throttling:Clients:Lockout", "00:15:00"),
        new("Identity:Throttling:Addresses:Failures", "6"),
        new("Identity:Throttling:Addresses:Window", "00:15:00"),
        new("Identity:Throttling:Addresses:Lockout", "00:15:00"),
    ];
}

public sealed class ThrottlingTests(ThrottlingFixture platform) : IClassFixture<ThrottlingFixture>
{
    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_and_the_user_is_told_in_chinese_when_to_try_again()
    {
        using var browser = new Browser(platform.Host.GatewayUri);
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await browser.SignInAsync("tax-reviewer", "wrong-" + i);
            Assert.True(wrong.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.TooManyRequests);
        }

        using var right = await browser.SignInAsync("tax-reviewer", PlatformFixture.DemoPassword);
        var page = WebUtility.HtmlDecode(await right.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.Null(right.Headers.Location);
        Assert.Contains("账号已暂时锁定", page, StringComparison.Ordinal);
        Assert.Contains("北京时间", page, StringComparison.Ordinal);
        Assert.True(right.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(10), "Retry-After must say when to try again");
    }

    [Fact]
    public async Task A_locked_account_gets_no_token_by_password_either_until_an_admin_unlocks_it()
    {
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await PasswordGrantAsync("wj-reviewer", "wrong-" + i);
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }
        using var locked = await PasswordGrantAsync("wj-reviewer", PlatformFixture.DemoPassword);
        var refusal = await PlatformFixture.JsonOf(locked);
        Assert.Equal(HttpStatusCode.BadRequest, locked.StatusCode);
        Assert.Contains("请于", refusal.GetProperty("error_description").GetString(), StringComparison.Ordinal);

        var admin = await platform.UserTokenAsync("admin", via: platform.IdentityDirect);
        using var list = await SendAsync(HttpMethod.Get, "/account/lockouts", admin);
        Assert.Contains((await PlatformFixture.JsonOf(list)).EnumerateArray(), l => l.GetProperty("userName").GetString() == "wj-reviewer");
        using var unlocked = await SendAsync(HttpMethod.Delete, "/account/lockouts/wj-reviewer", admin);
        Assert.Equal(HttpStatusCode.NoContent, unlocked.StatusCode);

        // From another address: this one has used up its own allowance of failed token requests meanwhile.
        using var again = await PasswordGrantAsync("wj-reviewer", PlatformFixture.DemoPassword, "192.0.2.251");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task Only_an_admin_may_unlock_an_account()
    {
        var enterprise = await platform.UserTokenAsync("ent-g60bio", via: platform.IdentityDirect);

        using var anonymous = await SendAsync(HttpMethod.Delete, "/account/lockouts/hr-approver", token: null);
        using var notAdmin = await SendAsync(HttpMethod.Delete, "/account/lockouts/hr-approver", enterprise);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, notAdmin.StatusCode);
    }

    [Fact]
    public async Task Unknown_user_names_are_counted_and_locked_like_real_ones()
    {
        HttpResponseMessage? last = null;
        for (var i = 0; i < 6; i++)
        {
            last?.Dispose();
            last = await PasswordGrantAsync("no-such-person", "guess-" + i);
        }

        Assert.Contains("请于", (await PlatformFixture.JsonOf(last!)).GetProperty("error_description").GetString(), StringComparison.Ordinal);
        last!.Dispose();
    }

    [Fact]
    public async Task Wrong_secrets_lock_the_client_at_the_token_endpoint_while_other_clients_go_on()
    {
        const string address = "203.0.113.10";
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await ClientCredentialsAsync("g60-330700", "wrong-" + i, address);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var right = await ClientCredentialsAsync("g60-330700", "demo-g60-330700-secret", "203.0.113.11");
        using var other = await ClientCredentialsAsync("g60-320500", "demo-g60-320500-secret", address);

        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.True(right.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("application/problem+json", right.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Failures_across_many_clients_lock_the_source_address_and_no_other()
    {
        const string address = "203.0.113.20";
        for (var i = 0; i < 6; i++)
        {
            using var wrong = await ClientCredentialsAsync($"guessed-client-{i}", "wrong", address);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var fromThere = await ClientCredentialsAsync("songjiang-services", "demo-services-secret", address);
        using var fromElsewhere = await ClientCredentialsAsync("songjiang-services", "demo-services-secret", "203.0.113.21");

        Assert.Equal(HttpStatusCode.TooManyRequests, fromThere.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fromElsewhere.StatusCode);
    }

    [Fact]
    public async Task Through_the_gateway_a_client_is_locked_whatever_address_the_caller_claims()
    {
        // The gateway trusts no X-Forwarded-For from callers: these are all one address, and one client.
        for (var i = 0; i < 3; i++)
        {
            using var request = TokenRequest("g60-330500", "wrong-" + i);
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", $"198.51.100.{i}");
            using var wrong = await platform.Gateway.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        using var locked = TokenRequest("g60-330500", "demo-g60-330500-secret");
        using var response = await platform.Gateway.SendAsync(locked);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
    }

    // From an address of the test's own, so that the address limit of this fixture counts no other test's failures.
    private Task<HttpResponseMessage> PasswordGrantAsync(string userName, string password, string? address = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password", ["client_id"] = "songjiang-cli", ["username"] = userName, ["password"] = password, ["scope"] = "api",
            }),
        };
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", address ?? $"192.0.2.{(uint)userName.GetHashCode() % 250}");
        return platform.IdentityDirect.SendAsync(request);
    }

    // Straight to the identity service as the trusted gateway would forward it, with the caller's address.
    private Task<HttpResponseMessage> ClientCredentialsAsync(string clientId, string secret, string address)
    {
        var request = TokenRequest(clientId, secret);
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", address);
        return platform.IdentityDirect.SendAsync(request);
    }

    private static HttpRequestMessage TokenRequest(string clientId, string secret) => new(HttpMethod.Post, "/connect/token")
    {
        Content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret, ["scope"] = "api",
        }),
    };

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return platform.Gateway.SendAsync(request);
    }
}
