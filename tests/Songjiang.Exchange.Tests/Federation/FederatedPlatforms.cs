using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Songjiang.Cryptography;
using Songjiang.Exchange.Tests.Support;
using Songjiang.Testing;

namespace Songjiang.Exchange.Tests.Federation;

/// <summary>
/// Two whole platforms, each its own process: Songjiang (310117) and Jiaxing (330400), each knowing the other's base
/// URL and platform key id (their HMAC keys are the demo keys of the demo profile). A third partner, Suzhou (320500),
/// is configured on Jiaxing with Songjiang's address but a key id nobody holds, to prove a document sealed with another
/// key is refused. One pair serves the whole test class: starting a platform takes a while on a busy machine.
/// </summary>
public sealed class FederatedPlatforms : IAsyncLifetime
{
    /// <summary>Songjiang.</summary>
    public const string SongjiangCode = "310117";

    /// <summary>Jiaxing.</summary>
    public const string JiaxingCode = "330400";

    /// <summary>Suzhou, configured on Jiaxing with a wrong platform key id.</summary>
    public const string SuzhouCode = "320500";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(6);

    /// <summary>The Songjiang platform.</summary>
    public PlatformProcess Songjiang { get; private set; } = null!;

    /// <summary>The Jiaxing platform.</summary>
    public PlatformProcess Jiaxing { get; private set; } = null!;

    /// <summary>Songjiang's platform key id.</summary>
    public string SongjiangKeyId { get; private set; } = "";

    /// <summary>Jiaxing's platform key id.</summary>
    public string JiaxingKeyId { get; private set; } = "";

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        var (songjiangPem, songjiangKeyId) = NewPlatformKey();
        var (jiaxingPem, jiaxingKeyId) = NewPlatformKey();
        SongjiangKeyId = songjiangKeyId;
        JiaxingKeyId = jiaxingKeyId;
        var songjiangPorts = FreePorts.Take(PlatformProcess.PortCount);
        var jiaxingPorts = FreePorts.Take(PlatformProcess.PortCount);
        var songjiangUrl = $"http://127.0.0.1:{songjiangPorts[0]}";
        var jiaxingUrl = $"http://127.0.0.1:{jiaxingPorts[0]}";

        Songjiang = PlatformProcess.Start("songjiang", songjiangPorts, Settings(SongjiangCode, songjiangPem, new()
        {
            [$"Exchange:Partners:{JiaxingCode}:BaseUrl"] = jiaxingUrl,
            [$"Exchange:Partners:{JiaxingCode}:PlatformKeyId"] = jiaxingKeyId,
        }));
        Jiaxing = PlatformProcess.Start("jiaxing", jiaxingPorts, Settings(JiaxingCode, jiaxingPem, new()
        {
            [$"Exchange:Partners:{SongjiangCode}:BaseUrl"] = songjiangUrl,
            [$"Exchange:Partners:{SongjiangCode}:PlatformKeyId"] = songjiangKeyId,
            [$"Exchange:Partners:{SuzhouCode}:BaseUrl"] = songjiangUrl,
            [$"Exchange:Partners:{SuzhouCode}:PlatformKeyId"] = "sm2-00000000000000000000000000000000",
        }));
        await Task.WhenAll(Songjiang.WaitUntilStartedAsync(StartTimeout), Jiaxing.WaitUntilStartedAsync(StartTimeout));
    }

    private static Dictionary<string, string> Settings(string city, string platformKeyPem, Dictionary<string, string> partners)
    {
        var settings = new Dictionary<string, string>
        {
            ["Platform:CityCode"] = city,
            ["Exchange:PlatformKeyPem"] = platformKeyPem,
            ["Exchange:AllowPrivateWebhookTargets"] = "true",
            ["Exchange:TrustSyncInterval"] = "00:00:00",
            ["Exchange:WebhookFirstDelay"] = "00:00:00.500",
            ["Exchange:WebhookMaxDelay"] = "00:00:02",
            // Status lists published uncacheable, so a revocation in one city is seen by the other at once.
            ["Licenses:StatusListMaxAge"] = "00:00:00",
            ["Gateway:RateLimit:Burst"] = "100000",
            ["Gateway:RateLimit:TokensPerPeriod"] = "100000",
            ["Identity:DemoProfile"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Songjiang"] = "Warning",
            ["Logging:LogLevel:Songjiang.LocalHost"] = "Information",
        };
        foreach (var (key, value) in partners)
        {
            settings[key] = value;
        }
        return settings;
    }

    private static (string Pem, string KeyId) NewPlatformKey()
    {
        var pkcs8 = Sm2.GeneratePrivateKey();
        return (System.Security.Cryptography.PemEncoding.WriteString("PRIVATE KEY", pkcs8), Sm2.KeyIdOf(Sm2.PublicKeyInfoOf(Sm2.ImportPrivateKey(pkcs8))));
    }

    /// <summary>A demo user's token on a platform.</summary>
    public static async Task<string> TokenAsync(PlatformProcess platform, string user)
    {
        using var response = await PlatformFixture.RequestTokenAsync(platform.Gateway,
            ("grant_type", "password"), ("client_id", "songjiang-cli"), ("username", user), ("password", PlatformFixture.DemoPassword),
            ("scope", "openid profile roles api"));
        return await PlatformFixture.AccessTokenOf(response);
    }

    /// <summary>Sends a request as a demo user and returns the JSON answer, asserting success.</summary>
    public static async Task<JsonElement> AsUserAsync(PlatformProcess platform, string user, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(platform, user));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        using var response = await platform.Gateway.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} on {platform.Name}: {(int)response.StatusCode} {text}\n{platform.RecentOutput}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A partner client calling <paramref name="platform"/> as <paramref name="city"/> with its demo key.</summary>
    public static PartnerClient Partner(PlatformProcess platform, string city) => new(platform.Gateway, city, "demo-1", null);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Songjiang is not null)
        {
            await Songjiang.DisposeAsync();
        }
        if (Jiaxing is not null)
        {
            await Jiaxing.DisposeAsync();
        }
    }
}
