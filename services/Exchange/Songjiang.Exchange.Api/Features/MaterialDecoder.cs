using System.Security.Cryptography;
using Songjiang.ServiceDefaults.Problems;

namespace Songjiang.Exchange.Api.Features;

/// <summary>A decoded, checked material file.</summary>
public sealed record DecodedMaterial(string Code, string FileName, string MediaType, byte[] Content);

/// <summary>
/// Decodes materials and checks them the way uploads are checked: Base64, the SHA-256 the partner computed, and the
/// file's real type from its first bytes (PDF, OFD, PNG, JPEG) against the declared media type.
/// </summary>
public static class MaterialDecoder
{
    private static readonly (string MediaType, byte[] Magic, string Name)[] Formats =
    [
        ("application/pdf", "%PDF-"u8.ToArray(), "PDF"),
        ("application/ofd", [0x50, 0x4B, 0x03, 0x04], "OFD"),
        ("image/png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "PNG"),
        ("image/jpeg", [0xFF, 0xD8, 0xFF], "JPEG"),
    ];

    /// <summary>Decodes every material, collecting the errors by field; throws 413 past the size limit.</summary>
    public static List<DecodedMaterial> Decode(IReadOnlyList<PartnerMaterial>? materials, long maxBytes, Dictionary<string, string[]> errors)
    {
        var decoded = new List<DecodedMaterial>();
        if (materials is null)
        {
            return decoded;
        }
        long total = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < materials.Count; i++)
        {
            var m = materials[i];
            var field = $"materials[{i}]";
            if (m is null)
            {
                errors[field] = ["材料不能为空。"];
                continue;
            }
            if (string.IsNullOrWhiteSpace(m.Code) || m.Code.Length > 64)
            {
                errors[field + ".code"] = ["须填写材料编码（事项清单中的 code）。"];
            }
            else if (!seen.Add(m.Code))
            {
                errors[field + ".code"] = [$"材料 {m.Code} 重复提交。"];
            }
            var fileName = Path.GetFileName(m.FileName ?? "");
            if (string.IsNullOrWhiteSpace(fileName) || fileName.Length > 255)
            {
                errors[field + ".fileName"] = ["须填写文件名（不超过 255 个字符）。"];
            }
            var format = Formats.FirstOrDefault(f => string.Equals(f.MediaType, m.MediaType, StringComparison.OrdinalIgnoreCase));
            if (format.MediaType is null)
            {
                errors[field + ".mediaType"] = ["文件类型须为 application/pdf、application/ofd、image/png 或 image/jpeg。"];
            }
            if (string.IsNullOrEmpty(m.Content))
            {
                errors[field + ".content"] = ["须提供 Base64 编码的文件内容。"];
                continue;
            }
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(m.Content);
            }
            catch (FormatException)
            {
                errors[field + ".content"] = ["文件内容不是有效的 Base64。"];
                continue;
            }
            total += bytes.Length;
            if (total > maxBytes)
            {
                throw new PayloadTooLargeException($"材料合计超过 {maxBytes / (1024 * 1024)} MiB 上限。");
            }
            if (bytes.Length == 0)
            {
                errors[field + ".content"] = ["文件内容为空。"];
                continue;
            }
            if (string.IsNullOrWhiteSpace(m.Sha256) || !string.Equals(Convert.ToHexStringLower(SHA256.HashData(bytes)), m.Sha256.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                errors[field + ".sha256"] = ["SHA-256 与文件内容不符（内容在传输中可能被改动）。"];
                continue;
            }
            var actual = Formats.FirstOrDefault(f => bytes.AsSpan().StartsWith(f.Magic));
            if (actual.MediaType is null)
            {
                errors[field + ".content"] = ["文件不是 PDF、OFD、PNG 或 JPEG 文件。"];
                continue;
            }
            if (format.MediaType is not null && actual.MediaType != format.MediaType)
            {
                errors[field + ".content"] = [$"文件声明为 {m.MediaType}，实际内容是 {actual.Name} 文件。"];
                continue;
            }
            if (format.MediaType is not null && !errors.ContainsKey(field + ".code") && !errors.ContainsKey(field + ".fileName"))
            {
                decoded.Add(new DecodedMaterial(m.Code!, fileName, format.MediaType, bytes));
            }
        }
        return decoded;
    }
}
