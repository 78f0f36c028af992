using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Songjiang.Testing;

namespace Songjiang.Exchange.Tests.Support;

/// <summary>
/// A partner city's system as its own engineers would write it from docs/partners.md: it signs each request with
/// HMAC-SHA256 over the five-line canonical string. Written independently of the exchange's code, so the tests
/// check the contract rather than the implementation against itself.
/// </summary>
public sealed class PartnerClient(HttpClient gateway, string city, string keyId = "demo-1", string? secret = null)
{
    /// <summary>The city.</summary>
    public string City { get; } = city;

    /// <summary>The secret.</summary>
    public string Secret { get; } = secret ?? $"demo-g60-{city}-signing-key";

    /// <summary>A signed request, ready to send; the pieces can be changed afterwards to tamper with it.</summary>
    public SignedRequest Prepare(HttpMethod method, string pathAndQuery, byte[]? body = null, long? timestamp = null, string? nonce = null)
    {
        var ts = (timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds()).ToString(CultureInfo.InvariantCulture);
        var n = nonce ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var bytes = body ?? [];
        return new SignedRequest(method, pathAndQuery, bytes, City, keyId, ts, n, G60Signature.Sign(Secret, method.Method, pathAndQuery, ts, n, bytes));
    }

    /// <summary>Sends a prepared request through the gateway.</summary>
    public async Task<HttpResponseMessage> SendAsync(SignedRequest signed, params string[] omit)
    {
        using var request = signed.ToMessage(omit);
        return await gateway.SendAsync(request);
    }

    /// <summary>Signs and sends.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathAndQuery, object? json = null) =>
        SendAsync(Prepare(method, pathAndQuery, json is null ? null : JsonSerializer.SerializeToUtf8Bytes(json, Json)));

    /// <summary>Signs and sends raw bytes as JSON.</summary>
    public Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string pathAndQuery, byte[] body) =>
        SendAsync(Prepare(method, pathAndQuery, body));

    /// <summary>JSON as partners write it.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Reads a JSON body.</summary>
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();
}

/// <summary>A signed request: its parts and headers, which a test may alter after signing.</summary>
public sealed record SignedRequest(
    HttpMethod Method, string PathAndQuery, byte[] Body, string City, string KeyId, string Timestamp, string Nonce, string Signature)
{
    /// <summary>The HTTP message, without the named headers.</summary>
    public HttpRequestMessage ToMessage(params string[] omit)
    {
        var request = new HttpRequestMessage(Method, PathAndQuery);
        if (Body.Length > 0 || Method != HttpMethod.Get)
        {
            request.Content = new ByteArrayContent(Body) { Headers = { { "Content-Type", "application/json" } } };
        }
        foreach (var (name, value) in new[]
        {
            ("X-G60-City", City), ("X-G60-Key-Id", KeyId), ("X-G60-Timestamp", Timestamp), ("X-G60-Nonce", Nonce), ("X-G60-Signature", Signature),
        })
        {
            if (!omit.Contains(name))
            {
                request.Headers.Add(name, value);
            }
        }
        return request;
    }
}
