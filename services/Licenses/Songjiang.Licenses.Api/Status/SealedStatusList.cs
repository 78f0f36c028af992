using Org.BouncyCastle.Crypto.Parameters;
using Songjiang.Cryptography;
using Songjiang.Licenses.Api.Canonical;
using Songjiang.Licenses.Api.Documents;
using Songjiang.Licenses.Api.Sealing;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Songjiang.Licenses.Api.Status;

/// <summary>
/// A status list as the issuer publishes it: the list document with a <c>seal</c> member, the issuer's SM2 seal over
/// the RFC 8785 canonical form of every other member (as a licence's seal covers the licence). The seal proves that
/// the issuing city wrote the list; its <c>validFrom</c> lets a reader refuse an older copy replayed to it.
/// </summary>
public static class SealedStatusList
{
    /// <summary>The document's text, sealed with <paramref name="key"/>; a <c>seal</c> member it has is replaced.</summary>
    public static string Write(JsonObject document, SigningKey key)
    {
        document.Remove(SealedDocument.SealMember);
        var canonical = JsonCanonicalizer.Canonicalize(JsonSerializer.SerializeToElement(document));
        document[SealedDocument.SealMember] = SealedDocument.Seal(key.KeyId, Sm2.Sign(key.PrivateKey, canonical));
        return document.ToJsonString();
    }

    /// <summary>
    /// Whether the list's seal matches its other members under <paramref name="publicKey"/> (the key found by
    /// <see cref="KeyIdOf"/>). A malformed seal does not verify.
    /// </summary>
    public static bool Verify(JsonElement document, ECPublicKeyParameters publicKey)
    {
        if (KeyIdOf(document) is null)
        {
            return false;
        }
        var seal = document.GetProperty(SealedDocument.SealMember);
        if (seal.TryGetProperty("alg", out var algorithm) && (algorithm.ValueKind != JsonValueKind.String || algorithm.GetString() != Sm2.Algorithm)
            || !seal.TryGetProperty("signature", out var signatureText) || signatureText.ValueKind != JsonValueKind.String)
        {
            return false;
        }
        try
        {
            var unsealed = JsonObject.Create(document)!;
            unsealed.Remove(SealedDocument.SealMember);
            var canonical = JsonCanonicalizer.Canonicalize(JsonSerializer.SerializeToElement(unsealed));
            return Sm2.Verify(publicKey, canonical, Convert.FromBase64String(signatureText.GetString()!));
        }
        catch (Exception exception) when (exception is FormatException or JsonCanonicalizationException)
        {
            return false;
        }
    }

    /// <summary>The seal's key id, or null when the document has no seal.</summary>
    public static string? KeyIdOf(JsonElement document) =>
        document.ValueKind == JsonValueKind.Object
        && document.TryGetProperty(SealedDocument.SealMember, out var seal) && seal.ValueKind == JsonValueKind.Object
        && seal.TryGetProperty("kid", out var kid) && kid.ValueKind == JsonValueKind.String
            ? kid.GetString()
            : null;
}
