using System.Net;
using System.Text.RegularExpressions;

namespace Songjiang.Identity.Tests;

/// <summary>A browser against the gateway: keeps cookies, follows no redirects, and fills in the login form.</summary>
public sealed partial class Browser(Uri gateway, CookieContainer? cookies = null) : IDisposable
{
    public const string PortalRedirectUri = "http://127.0.0.1:8080/portal/signin-callback";

    public CookieContainer Cookies { get; } = cookies ?? new CookieContainer();

    public HttpClient Client { get; } = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = true,
        CookieContainer = cookies ?? new CookieContainer(),
        ActivityHeadersPropagator = null,
    })
    {
        BaseAddress = gateway,
    };

    /// <summary>Opens the login page and posts the form; returns the answer to the post.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string userName, string password, string returnUrl = "/")
    {
        using var page = await Client.GetAsync("/account/login?returnUrl=" + Uri.EscapeDataString(returnUrl));
        var html = await page.Content.ReadAsStringAsync();
        var match = AntiforgeryInput().Match(html);
        Assert.True(match.Success, "the login page must carry an antiforgery token");
        return await Client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [WebUtility.HtmlDecode(match.Groups[1].Value)] = WebUtility.HtmlDecode(match.Groups[2].Value),
            ["userName"] = userName,
            ["password"] = password,
            ["returnUrl"] = returnUrl,
        }));
    }

    /// <summary>An authorization request of the portal (code flow with PKCE).</summary>
    public Task<HttpResponseMessage> AuthorizeAsync(string challenge) =>
        Client.GetAsync("/connect/authorize?client_id=songjiang-portal&response_type=code&scope=openid%20profile%20api"
            + $"&redirect_uri={Uri.EscapeDataString(PortalRedirectUri)}&code_challenge={challenge}&code_challenge_method=S256&state=xyz");

    public void Dispose() => Client.Dispose();

    [GeneratedRegex("<input type=\"hidden\" name=\"(__RequestVerificationToken[^\"]*)\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryInput();
}
