using Org.BouncyCastle.Crypto.Parameters;
using Songjiang.Licenses.Api.Canonical;
using Songjiang.Licenses.Api.Documents;
using Songjiang.Licenses.Api.Sealing;
using Songjiang.Licenses.Api.Status;
using Songjiang.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Songjiang.Licenses.Tests.Support;

/// <summary>A G60 partner city's issuing authority with its own SM2 key, sealing licences the way any GB/T 32918 signer would.</summary>
public sealed class PartnerIssuer
{
    private readonly ECPrivateKeyParameters _privateKey;

    public PartnerIssuer(string code, string name, string cityCode)
    {
        var pair = Sm2.GenerateKeyPair();
        _privateKey = (ECPrivateKeyParameters)pair.Private;
        PublicKey = Sm2.ExportPublicKey((ECPublicKeyParameters)pair.Public);
        Code = code;
        Name = name;
        CityCode = cityCode;
    }

    public string Code { get; }

    public string Name { get; }

    public string CityCode { get; }

    public byte[] PublicKey { get; }

    public string KeyId => Sm2.KeyIdOf(PublicKey);

    public string PublicKeyPem => Sm2.PublicKeyPem(PublicKey);

    /// <summary>The trust-list entry an administrator submits for this issuer.</summary>
    public object TrustRequest(DateTimeOffset? validFrom = null, DateTimeOffset? validUntil = null) => new
    {
        issuerCode = Code,
        issuerName = Name,
        cityCode = CityCode,
        publicKeyPem = PublicKeyPem,
        validFrom,
        validUntil,
    };

    /// <summary>A licence of this issuer.</summary>
    public JsonObject Licence(DateOnly validFrom, DateOnly? validUntil, string? issuerCode = null) => new()
    {
        ["licenceNumber"] = $"SPJYXKZ-{CityCode}-2026-{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}",
        ["type"] = new JsonObject { ["code"] = "food-business-licence", ["name"] = "食品经营许可证" },
        ["holder"] = new JsonObject { ["name"] = "嘉兴禾味餐饮管理有限公司", ["identifierType"] = "统一社会信用代码", ["identifier"] = "91330402MA2B7C6D1X" },
        ["issuer"] = new JsonObject { ["code"] = issuerCode ?? Code, ["name"] = Name, ["divisionCode"] = CityCode },
        ["issueDate"] = validFrom.ToString("yyyy-MM-dd"),
        ["validFrom"] = validFrom.ToString("yyyy-MM-dd"),
        ["validUntil"] = validUntil?.ToString("yyyy-MM-dd"),
        ["fields"] = new JsonObject { ["premises"] = "嘉兴市南湖区中环南路1号", ["mainBusiness"] = "餐饮服务经营者", ["area"] = 120.5 },
    };

    /// <summary>The licence with its entry in this issuer's status lists (<c>credentialStatus</c>).</summary>
    public static JsonObject WithStatus(JsonObject licence, int index, Uri revocationList, Uri? suspensionList = null)
    {
        licence["credentialStatus"] = new JsonObject
        {
            ["type"] = "BitstringStatusListEntry",
            ["statusListIndex"] = index,
            ["revocationList"] = revocationList.AbsoluteUri,
            ["suspensionList"] = suspensionList?.AbsoluteUri,
        };
        return licence;
    }

    /// <summary>Seals a licence and returns the document text.</summary>
    public string Seal(JsonObject licence, string? keyId = null)
    {
        var canonical = JsonCanonicalizer.CanonicalString(JsonSerializer.SerializeToElement(licence));
        var signature = Sm2.Sign(_privateKey, System.Text.Encoding.UTF8.GetBytes(canonical));
        return SealedDocument.Write(canonical, keyId ?? KeyId, signature);
    }

    /// <summary>Seals a status list document the way the platform seals its own, and returns its text.</summary>
    public string SealList(JsonObject document) =>
        SealedStatusList.Write(document, new SigningKey(KeyId, Code, _privateKey));

    /// <summary>Today in China.</summary>
    public static DateOnly Today => DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).DateTime);
}
