using Microsoft.IdentityModel.Tokens;
using Songjiang.Testing;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Songjiang.Identity.Tests;

/// <summary>The web portal's sign-in: authorization code with PKCE, driven like a browser through the gateway.</summary>
public sealed partial class AuthorizationCodeFlowTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    // The portal's callback through the gateway (registered relative to the issuer).
    private string RedirectUri => new Uri(platform.Host.GatewayUri, "/signin-oidc").ToString();

    [Fact]
    public async Task Portal_signs_in_with_code_and_pkce_and_gets_a_token_the_gateway_accepts()
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var code = await SignInAndGetCodeAsync(Challenge(verifier), "scj-reviewer");

        using var exchanged = await PlatformFixture.RequestTokenAsync(platform.Gateway,
            ("grant_type", "authorization_code"), ("client_id", "songjiang-portal"), ("code", code),
            ("redirect_uri", RedirectUri), ("code_verifier", verifier));
        var token = await PlatformFixture.AccessTokenOf(exchanged);

        using var response = await platform.GetAsync("/api/cases/about", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("market-regulation",
            (await PlatformFixture.JsonOf(response)).GetProperty("caller").GetProperty("department").GetString());
    }

    [Fact]
    public async Task Code_with_the_wrong_verifier_is_refused()
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var code = await SignInAndGetCodeAsync(Challenge(verifier), "ent-zhisuan");

        using var exchanged = await PlatformFixture.RequestTokenAsync(platform.Gateway,
            ("grant_type", "authorization_code"), ("client_id", "songjiang-portal"), ("code", code),
            ("redirect_uri", RedirectUri), ("code_verifier", Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32))));

        Assert.Equal(HttpStatusCode.BadRequest, exchanged.StatusCode);
        Assert.Equal("invalid_grant", (await PlatformFixture.JsonOf(exchanged)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Authorization_request_without_pkce_is_refused()
    {
        using var response = await platform.Gateway.GetAsync(
            $"/connect/authorize?client_id=songjiang-portal&response_type=code&scope=openid%20api&redirect_uri={Uri.EscapeDataString(RedirectUri)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Wrong_password_on_the_login_page_is_refused_without_a_session()
    {
        using var client = NewBrowser();
        using var page = await client.GetAsync("/account/login?returnUrl=%2F");
        var antiforgery = AntiforgeryField(await page.Content.ReadAsStringAsync());

        using var posted = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [antiforgery.Name] = antiforgery.Value, ["userName"] = "ent-zhisuan", ["password"] = "wrong", ["returnUrl"] = "/",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Null(posted.Headers.Location);
    }

    [Fact]
    public async Task Login_form_without_the_antiforgery_token_is_refused()
    {
        using var client = NewBrowser();
        using var posted = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["userName"] = "ent-zhisuan", ["password"] = PlatformFixture.DemoPassword, ["returnUrl"] = "/",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
    }

    private static string Challenge(string verifier) =>
        Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    private async Task<string> SignInAndGetCodeAsync(string challenge, string userName)
    {
        using var browser = NewBrowser();
        var authorize = "/connect/authorize?client_id=songjiang-portal&response_type=code&scope=openid%20profile%20api"
            + $"&redirect_uri={Uri.EscapeDataString(RedirectUri)}&code_challenge={challenge}&code_challenge_method=S256&state=xyz";

        using var toLogin = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, toLogin.StatusCode);
        var loginUrl = toLogin.Headers.Location!;
        Assert.StartsWith("/account/login", loginUrl.IsAbsoluteUri ? loginUrl.PathAndQuery : loginUrl.OriginalString, StringComparison.Ordinal);

        using var page = await browser.GetAsync(loginUrl);
        var html = await page.Content.ReadAsStringAsync();
        var antiforgery = AntiforgeryField(html);
        var returnUrl = WebUtility.HtmlDecode(ReturnUrlField().Match(html).Groups[1].Value);

        using var signedIn = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [antiforgery.Name] = antiforgery.Value,
            ["userName"] = userName,
            ["password"] = PlatformFixture.DemoPassword,
            ["returnUrl"] = returnUrl,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        using var toClient = await browser.GetAsync(signedIn.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, toClient.StatusCode);
        var callback = toClient.Headers.Location!;
        Assert.StartsWith(RedirectUri, callback.ToString(), StringComparison.Ordinal);
        var query = System.Web.HttpUtility.ParseQueryString(callback.Query);
        Assert.Equal("xyz", query["state"]);
        return query["code"]!;
    }

    private HttpClient NewBrowser() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = true,
        CookieContainer = new CookieContainer(),
        ActivityHeadersPropagator = null,
    })
    {
        BaseAddress = platform.Host.GatewayUri,
    };

    private static (string Name, string Value) AntiforgeryField(string html)
    {
        var match = AntiforgeryInput().Match(html);
        Assert.True(match.Success, "the login page must carry an antiforgery token");
        return (WebUtility.HtmlDecode(match.Groups[1].Value), WebUtility.HtmlDecode(match.Groups[2].Value));
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(__RequestVerificationToken[^\"]*)\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryInput();

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlField();
}
