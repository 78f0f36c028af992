using Songjiang.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Songjiang.Licenses.Api.Documents;

/// <summary>
/// The signed licence as it travels: <c>{"licence": {…}, "seal": {"alg", "kid", "signerId", "signature"}}</c>.
/// The seal covers the RFC 8785 canonical form of <c>licence</c>; the document itself need not be canonical.
/// </summary>
public static class SealedDocument
{
    /// <summary>The member holding the sealed licence.</summary>
    public const string LicenceMember = "licence";

    /// <summary>The member holding the seal.</summary>
    public const string SealMember = "seal";

    /// <summary>Writes the document for a stored licence: the canonical payload and its seal.</summary>
    public static string Write(string canonicalPayload, string keyId, byte[] signature) =>
        $"{{\"{LicenceMember}\":{canonicalPayload},\"{SealMember}\":{Seal(keyId, signature).ToJsonString()}}}";

    /// <summary>The seal member: <c>{"alg", "kid", "signerId", "signature"}</c>.</summary>
    public static JsonObject Seal(string keyId, byte[] signature) => new()
    {
        ["alg"] = Sm2.Algorithm,
        ["kid"] = keyId,
        ["signerId"] = Sm2.DefaultSignerId,
        ["signature"] = Convert.ToBase64String(signature),
    };
}

/// <summary>A document taken apart for verification.</summary>
/// <param name="Licence">The sealed licence object as submitted.</param>
/// <param name="Algorithm">The seal's algorithm label.</param>
/// <param name="KeyId">The sealing key's id.</param>
/// <param name="SignerId">The distinguishing id the seal claims.</param>
/// <param name="Signature">The DER signature.</param>
public sealed record ParsedDocument(JsonElement Licence, string Algorithm, string KeyId, string SignerId, byte[] Signature)
{
    /// <summary>
    /// Takes a document apart; a document without the structure of a sealed licence is bad input, reported per
    /// field. (A structurally sound document with altered content is not bad input: it verifies as invalid.)
    /// </summary>
    public static ParsedDocument Parse(JsonElement document, Dictionary<string, string[]> errors)
    {
        if (document.ValueKind != JsonValueKind.Object)
        {
            errors["document"] = ["证照文档须为包含 licence 和 seal 的 JSON 对象。"];
            return Empty;
        }
        if (!document.TryGetProperty(SealedDocument.LicenceMember, out var licence) || licence.ValueKind != JsonValueKind.Object)
        {
            errors[SealedDocument.LicenceMember] = ["缺少证照内容（licence 对象）。"];
        }
        if (!document.TryGetProperty(SealedDocument.SealMember, out var seal) || seal.ValueKind != JsonValueKind.Object)
        {
            errors[SealedDocument.SealMember] = ["缺少签章（seal 对象）。"];
            return Empty;
        }
        var algorithm = Text(seal, "alg", errors);
        var keyId = Text(seal, "kid", errors);
        var signerId = seal.TryGetProperty("signerId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()! : Sm2.DefaultSignerId;
        var signatureText = Text(seal, "signature", errors);
        byte[] signature = [];
        if (signatureText.Length > 0)
        {
            try
            {
                signature = Convert.FromBase64String(signatureText);
            }
            catch (FormatException)
            {
                errors["seal.signature"] = ["签名须为 Base64 编码的 SM2 签名（DER 格式）。"];
            }
        }
        return new ParsedDocument(licence, algorithm, keyId, signerId, signature);
    }

    private static ParsedDocument Empty => new(default, "", "", "", []);

    private static string Text(JsonElement seal, string name, Dictionary<string, string[]> errors)
    {
        if (seal.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0)
        {
            return value.GetString()!;
        }
        errors[$"seal.{name}"] = ["必填，须为文本。"];
        return "";
    }
}
