using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Songjiang.Cases.Api.Domain;
using Songjiang.Cases.Api.Infrastructure;
using Songjiang.Cases.Api.Storage;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Problems;

namespace Songjiang.Cases.Api.Features;

/// <summary>
/// Uploads of application materials: PDF, OFD, PNG or JPEG up to the configured size, the type checked against the
/// file's own first bytes, stored with its SHA-256. An upload is attached to one application by its id.
/// </summary>
public static class UploadsApi
{
    // The formats a material may have, by the declared type and the bytes such a file starts with.
    private static readonly (string ContentType, string Extension, byte[] Magic)[] Formats =
    [
        ("application/pdf", ".pdf", "%PDF-"u8.ToArray()),
        ("application/ofd", ".ofd", [0x50, 0x4B, 0x03, 0x04]),
        ("image/png", ".png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        ("image/jpeg", ".jpg", [0xFF, 0xD8, 0xFF]),
    ];

    /// <summary>Maps <c>POST /api/cases/uploads</c>.</summary>
    public static IEndpointRouteBuilder MapUploadsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/cases/uploads", UploadAsync).WithName("UploadMaterial").WithTags("Applications")
            .RequireAuthorization(PlatformPolicies.Authenticated)
            .DisableAntiforgery()
            .WithSummary("Uploads one material file (multipart field 'file'): PDF, OFD, PNG or JPEG; returns its id, size and SHA-256.");
        return endpoints;
    }

    private static async Task<Created<UploadView>> UploadAsync(
        IFormFile? file, ClaimsPrincipal user, CasesDbContext db, IMaterialStore store, IOptions<MaterialOptions> options,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        if (!caller.IsEnterprise && !caller.IsWindowClerk && !caller.IsPartnerCity && !caller.IsPlatformService)
        {
            throw new ForbiddenException("只有申请人、窗口人员和 G60 合作城市可以上传材料。");
        }
        if (file is null || file.Length == 0)
        {
            throw new ValidationFailedException("file", "请在 multipart 表单字段 file 中上传一个非空文件。");
        }
        var limit = options.Value.MaxFileBytes;
        if (file.Length > limit)
        {
            throw new PayloadTooLargeException($"文件大小为 {file.Length:N0} 字节，材料文件不能超过 {limit:N0} 字节。");
        }
        var name = Path.GetFileName(file.FileName);
        if (string.IsNullOrWhiteSpace(name) || name.Length > 250)
        {
            throw new ValidationFailedException("file", "文件须有文件名，且不超过 250 个字符。");
        }
        if (UnsafeText.Problem(name) is { } problem)
        {
            throw new ValidationFailedException("file", $"文件名{problem}");
        }
        var format = await SniffAsync(file, cancellationToken);
        if (format is null)
        {
            throw new UnsupportedMediaTypeException("材料须为 PDF、OFD、PNG 或 JPEG 文件，该文件不是其中任何一种。");
        }
        if (!string.Equals(file.ContentType, format.Value.ContentType, StringComparison.OrdinalIgnoreCase)
            && file.ContentType is not ("application/octet-stream" or ""))
        {
            throw new UnsupportedMediaTypeException($"文件声明的类型为 {file.ContentType}，但其内容是 {format.Value.ContentType}。");
        }

        string key;
        string hash;
        await using (var content = file.OpenReadStream())
        using (var sha = SHA256.Create())
        await using (var hashing = new CryptoStream(content, sha, CryptoStreamMode.Read))
        {
            key = await store.SaveAsync(hashing, format.Value.Extension, cancellationToken);
            hash = Convert.ToHexStringLower(sha.Hash!);
        }

        var upload = new Upload
        {
            Owner = caller.Id,
            FileName = DisplayName(name, format.Value.Extension),
            ContentType = format.Value.ContentType,
            Size = file.Length,
            Sha256 = hash,
            StorageKey = key,
            UploadedAt = clock.GetUtcNow(),
        };
        db.Uploads.Add(upload);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            store.Delete(key);
            throw;
        }
        return TypedResults.Created($"/api/cases/uploads/{upload.Id}", UploadView.Of(upload));
    }

    /// <summary>
    /// The name people see and download the file under: the uploader's (already refused when it carries control or
    /// bidi characters), ending with the extension of what the file really is, so "报告.pdf.exe" holding a PDF is
    /// offered as "报告.pdf.exe.pdf" and never opened as something else.
    /// </summary>
    private static string DisplayName(string name, string extension)
    {
        var trimmed = name.Trim();
        var own = Path.GetExtension(trimmed);
        var matches = string.Equals(own, extension, StringComparison.OrdinalIgnoreCase)
            || (extension == ".jpg" && string.Equals(own, ".jpeg", StringComparison.OrdinalIgnoreCase));
        return matches ? trimmed : trimmed + extension;
    }

    private static async Task<(string ContentType, string Extension, byte[] Magic)?> SniffAsync(IFormFile file, CancellationToken cancellationToken)
    {
        var head = new byte[8];
        await using var stream = file.OpenReadStream();
        var read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        foreach (var format in Formats)
        {
            if (read >= format.Magic.Length && head.AsSpan(0, format.Magic.Length).SequenceEqual(format.Magic))
            {
                // A ZIP is only an OFD document when it is named as one.
                if (format.Extension == ".ofd" && !file.FileName.EndsWith(".ofd", StringComparison.OrdinalIgnoreCase))
                {
                    return null;
                }
                return format;
            }
        }
        return null;
    }
}
