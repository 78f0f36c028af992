using Songjiang.Testing;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Songjiang.Gateway.Tests;

/// <summary>Header values outside ASCII (a name in Chinese, a stray Latin-1 byte) on every kind of proxied route.</summary>
public sealed class NonAsciiHeaderTests(GatewayFixture platform) : IClassFixture<GatewayFixture>
{
    public static TheoryData<string> Routes =>
    [
        "/api/catalog/matters/",
        "/.well-known/openid-configuration",
        "/openapi/catalog.json",
        "/account/login",
        "/api/policyradar/search?q=研发",
    ];

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_chinese_header_value_is_passed_through_not_a_5xx(string path)
    {
        using var client = Utf8Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("X-Applicant-Note", "松江区 一网通办 ©");
        request.Headers.TryAddWithoutValidation("Accept-Language", "中文");

        using var response = await client.SendAsync(request);

        Assert.True((int)response.StatusCode < 500, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_service_behind_the_gateway_receives_the_value_unchanged()
    {
        using var client = Utf8Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/x");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await platform.UserTokenAsync("ent-zhisuan"));
        request.Headers.TryAddWithoutValidation("X-Applicant-Note", "上海松江智算科技有限公司");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var headers = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("headers");
        Assert.Equal("上海松江智算科技有限公司", headers.GetProperty("x-applicant-note").GetString());
    }

    [Fact]
    public async Task A_non_ascii_correlation_id_or_token_is_a_4xx_or_replaced_never_a_5xx()
    {
        using var client = Utf8Client();
        using var withCorrelation = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/matters/");
        withCorrelation.Headers.TryAddWithoutValidation("X-Correlation-Id", "追踪-42");
        using var withToken = new HttpRequestMessage(HttpMethod.Get, "/api/cases/applications");
        withToken.Headers.TryAddWithoutValidation("Authorization", "Bearer 令牌");

        using var correlated = await client.SendAsync(withCorrelation);
        using var tokened = await client.SendAsync(withToken);

        Assert.Equal(HttpStatusCode.OK, correlated.StatusCode);
        Assert.NotEqual("追踪-42", correlated.Headers.GetValues("X-Correlation-Id").Single());
        Assert.Equal(HttpStatusCode.Unauthorized, tokened.StatusCode);
    }

    /// <summary>A client that, unlike HttpClient's default, sends header values as UTF-8 the way browsers and curl can.</summary>
    private HttpClient Utf8Client() => new(new SocketsHttpHandler
    {
        ActivityHeadersPropagator = null,
        AllowAutoRedirect = false,
        RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
        ResponseHeaderEncodingSelector = (_, _) => Encoding.UTF8,
    })
    {
        BaseAddress = platform.Host.GatewayUri,
    };
}
