namespace Songjiang.Exchange.Api.Partners;

/// <summary>The partner city a request was verified for.</summary>
/// <param name="City">The city's division code.</param>
/// <param name="KeyId">The key that signed it (null for a bearer token).</param>
/// <param name="Body">The raw request body, exactly as signed.</param>
/// <param name="BodySha256">Its lower-case hex SHA-256.</param>
public sealed record PartnerCaller(string City, string? KeyId, byte[] Body, string BodySha256)
{
    /// <summary>The verified caller of this request (the partner middleware runs before every partner endpoint).</summary>
    public static PartnerCaller Of(HttpContext context) =>
        context.Features.Get<PartnerCaller>() ?? throw new InvalidOperationException("The partner request was not authenticated.");
}
