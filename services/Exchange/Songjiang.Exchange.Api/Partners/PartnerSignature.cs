using System.Security.Cryptography;
using System.Text;

namespace Songjiang.Exchange.Api.Partners;

/// <summary>
/// The G60 partner signature: Base64(HMAC-SHA256(secret, canonical)), where canonical is five lines joined by
/// <c>\n</c> without a trailing newline — the upper-case method, the path with its query exactly as sent, the Unix
/// timestamp, the nonce, and the lower-case hex SHA-256 of the raw body. The same scheme signs the calls and
/// webhooks this platform sends, so a partner verifies exactly as we do (docs/partners.md).
/// </summary>
public static class PartnerSignature
{
    /// <summary>The caller's division code.</summary>
    public const string CityHeader = "X-G60-City";

    /// <summary>The key id.</summary>
    public const string KeyIdHeader = "X-G60-Key-Id";

    /// <summary>Unix seconds.</summary>
    public const string TimestampHeader = "X-G60-Timestamp";

    /// <summary>16–64 characters of <c>[A-Za-z0-9_-]</c>.</summary>
    public const string NonceHeader = "X-G60-Nonce";

    /// <summary>The signature.</summary>
    public const string SignatureHeader = "X-G60-Signature";

    /// <summary>The five headers, in the order a missing one is reported.</summary>
    public static readonly string[] Headers = [CityHeader, KeyIdHeader, TimestampHeader, NonceHeader, SignatureHeader];

    /// <summary>The lower-case hex SHA-256 of the empty body.</summary>
    public static readonly string EmptyBodySha256 = Convert.ToHexStringLower(SHA256.HashData([]));

    /// <summary>The canonical string.</summary>
    public static string Canonical(string method, string pathAndQuery, string timestamp, string nonce, string bodySha256) =>
        $"{method.ToUpperInvariant()}\n{pathAndQuery}\n{timestamp}\n{nonce}\n{bodySha256}";

    /// <summary>The lower-case hex SHA-256 of a body.</summary>
    public static string BodySha256(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));

    /// <summary>Signs a canonical string.</summary>
    public static string Sign(string secret, string canonical) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(canonical)));

    /// <summary>Checks a signature in constant time; a value that is not Base64 of 32 bytes never matches.</summary>
    public static bool Matches(string secret, string canonical, string signature)
    {
        Span<byte> given = stackalloc byte[32];
        if (!Convert.TryFromBase64String(signature, given, out var written) || written != 32)
        {
            return false;
        }
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(canonical));
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>Whether a nonce has the contract's form.</summary>
    public static bool IsWellFormedNonce(string nonce) =>
        nonce.Length is >= 16 and <= 64 && nonce.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    /// <summary>A fresh nonce of 32 URL-safe characters.</summary>
    public static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Adds the five headers to an outgoing request whose body is <paramref name="body"/>.</summary>
    public static void SignRequest(HttpRequestMessage request, string city, string keyId, string secret, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        var timestamp = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var nonce = NewNonce();
        var canonical = Canonical(request.Method.Method, request.RequestUri!.IsAbsoluteUri ? request.RequestUri.PathAndQuery : request.RequestUri.OriginalString,
            timestamp, nonce, BodySha256(body));
        request.Headers.Add(CityHeader, city);
        request.Headers.Add(KeyIdHeader, keyId);
        request.Headers.Add(TimestampHeader, timestamp);
        request.Headers.Add(NonceHeader, nonce);
        request.Headers.Add(SignatureHeader, Sign(secret, canonical));
    }
}
