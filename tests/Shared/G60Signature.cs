using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Songjiang.Testing;

/// <summary>
/// The G60 partner API's request signature as docs/partners.md gives it to the cities' engineers: HMAC-SHA256 over
/// method, path and query, Unix timestamp, nonce and the body's SHA-256, one per line. Written from the contract, not
/// from the exchange's code, so the tests check one against the other.
/// </summary>
public static class G60Signature
{
    /// <summary>The signature of one request.</summary>
    public static string Sign(string secret, string method, string pathAndQuery, string timestamp, string nonce, byte[] body)
    {
        var canonical = string.Join('\n', method.ToUpperInvariant(), pathAndQuery, timestamp, nonce, Convert.ToHexStringLower(SHA256.HashData(body)));
        return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>
    /// Signs <paramref name="request"/> (with an absolute address: the signature covers the path and query as sent) as
    /// <paramref name="city"/>'s system with its demo key (<c>demo-1</c>, <c>demo-g60-{city}-signing-key</c>), with a
    /// fresh nonce and the current time.
    /// </summary>
    public static async Task SignAsDemoCityAsync(HttpRequestMessage request, string city, CancellationToken ct)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(ct);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var signature = Sign($"demo-g60-{city}-signing-key", request.Method.Method, request.RequestUri!.PathAndQuery, timestamp, nonce, body);
        request.Headers.Add("X-G60-City", city);
        request.Headers.Add("X-G60-Key-Id", "demo-1");
        request.Headers.Add("X-G60-Timestamp", timestamp);
        request.Headers.Add("X-G60-Nonce", nonce);
        request.Headers.Add("X-G60-Signature", signature);
    }
}
