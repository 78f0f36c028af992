using Songjiang.Exchange.Api.MessageLog;
using Songjiang.Exchange.Api.Partners;

namespace Songjiang.Exchange.Api.Clients;

/// <summary>A partner platform's answer.</summary>
/// <param name="Status">The HTTP status (0 when no answer came).</param>
/// <param name="Body">The body.</param>
/// <param name="Error">Why no answer came, in Chinese, or null.</param>
public sealed record PartnerAnswer(int Status, byte[] Body, string? Error)
{
    /// <summary>Whether the partner answered 2xx.</summary>
    public bool Succeeded => Status is >= 200 and < 300;
}

/// <summary>
/// Calls another G60 city's platform through its partner API, signed with this platform's own key under the same
/// scheme partners use to call us; every call and its answer is appended to the message log (direction <c>out</c>).
/// </summary>
public sealed class PartnerPlatformClient(HttpClient http, PartnerKeyRing keys, MessageChain chain, TimeProvider clock)
{
    /// <summary>Sends a signed request to <paramref name="baseUrl"/> + <paramref name="pathAndQuery"/>.</summary>
    public async Task<PartnerAnswer> SendAsync(
        string city, Uri baseUrl, HttpMethod method, string pathAndQuery, byte[]? body, CancellationToken cancellationToken)
    {
        var own = keys.OwnKey ?? throw new InvalidOperationException("本平台未配置出站签名密钥（Exchange:OwnKey）。");
        body ??= [];
        var target = new Uri(baseUrl, pathAndQuery);
        using var request = new HttpRequestMessage(method, target);
        if (body.Length > 0 || method == HttpMethod.Post || method == HttpMethod.Put)
        {
            request.Content = new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json; charset=utf-8" } } };
        }
        PartnerSignature.SignRequest(request, own.City, own.KeyId, own.Secret, body, clock.GetUtcNow());
        var answer = new PartnerAnswer(0, [], null);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            answer = new PartnerAnswer((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync(cancellationToken), null);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            answer = answer with { Error = "无法连接合作城市平台：" + exception.Message };
        }
        await chain.AppendAsync(new LogEntry("out", city, method.Method, target.AbsoluteUri, own.KeyId,
            request.Headers.GetValues(PartnerSignature.TimestampHeader).First(), request.Headers.GetValues(PartnerSignature.NonceHeader).First(),
            request.Headers.GetValues(PartnerSignature.SignatureHeader).First(), PartnerSignature.BodySha256(body), answer.Status,
            PartnerSignature.BodySha256(answer.Body), null), CancellationToken.None);
        return answer;
    }
}
