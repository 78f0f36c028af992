using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Songjiang.Testing;

namespace Songjiang.Portal.Tests;

/// <summary>
/// The embedded platform with the portal behind its gateway, and one headless Debian chromium for every test of the
/// collection (tests run one after another: two cores are enough).
/// </summary>
public sealed class PortalFixture : PlatformFixture
{
    /// <summary>Where Debian's chromium package puts the browser; nothing is ever downloaded.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    /// <summary>The browser.</summary>
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Drives the platform's APIs for what a test arranges outside the browser.</summary>
    public CaseDriver Cases { get; private set; } = null!;

    /// <summary>Where screenshots are kept: <c>SONGJIANG_TEST_RESULTS</c>, else <c>TestResults</c> beside the tests.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("SONGJIANG_TEST_RESULTS") is { Length: > 0 } results ? results : Path.Combine(AppContext.BaseDirectory, "TestResults"),
        "portal-screenshots");

    /// <inheritdoc />
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Cases = new CaseDriver(this);
        Directory.CreateDirectory(ScreenshotFolder);
        _playwright = await Playwright.CreateAsync();
        Assertions.SetDefaultExpectTimeout(30_000);
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=zh-CN"],
        });
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>The portal's address (the gateway's).</summary>
    public string Url(string path = "/") => new Uri(Host.GatewayUri, path).ToString();

    /// <summary>A fresh browser profile (its own cookies), not signed in.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
        });
        // Generous: the machine running the tests may be busy with other work.
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        return await context.NewPageAsync();
    }

    /// <summary>A browser profile signed in as a demo user through the identity service's login page.</summary>
    public async Task<IPage> SignedInAsync(string userName, int width = 1280)
    {
        var page = await NewPageAsync(width);
        await SignInAsync(page, userName);
        return page;
    }

    /// <summary>Signs in on the identity service's page, by OpenID Connect from the portal, and lands back on the portal.</summary>
    public async Task SignInAsync(IPage page, string userName, string returnUrl = "/")
    {
        await page.GotoAsync(Url("/auth/login?returnUrl=" + Uri.EscapeDataString(returnUrl)));
        await page.Locator("#userName").FillAsync(userName);
        await page.Locator("#password").FillAsync(DemoPassword);
        await page.Locator("form button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => url.StartsWith(Url(returnUrl), StringComparison.Ordinal) && !url.Contains("/account/", StringComparison.Ordinal)
            && !url.Contains("/signin-oidc", StringComparison.Ordinal));
    }

    /// <summary>Checks the page with axe-core (no serious or critical violation) and keeps a screenshot of it.</summary>
    public async Task CheckPageAsync(IPage page, string name)
    {
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
        AxeResult result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{name}: " + string.Join("; ", serious.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")));
    }
}

/// <summary>One platform and one browser for every portal test.</summary>
[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "portal";
}
