using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Songjiang.Cases.Api.Domain;
using Songjiang.Cases.Api.Infrastructure;
using Songjiang.Cases.Api.Storage;
using Songjiang.Cases.Api.CaseFlow;
using Songjiang.EventBus;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Paging;
using Songjiang.ServiceDefaults.Problems;
using Songjiang.Workflows;

namespace Songjiang.Cases.Api.Features;

/// <summary>Applications: downloading an uploaded material.</summary>
public static partial class ApplicationsApi
{
    private static async Task<Results<FileStreamHttpResult, NotFound>> DownloadAsync(
        string number, string code, ClaimsPrincipal user, CasesDbContext db, IMaterialStore store, CancellationToken cancellationToken)
    {
        var application = await ApplicationAccess.LoadReadableAsync(db, new Caller(user), number, cancellationToken);
        var material = application.Materials.FirstOrDefault(m => m.Code == code && m.UploadId is not null);
        if (material is null)
        {
            var named = application.Materials.FirstOrDefault(m => m.Code == code);
            throw new NotFoundException(named is null
                ? $"办件 {number} 没有材料“{code}”。"
                : $"办件 {number} 的《{named.Name}》没有上传的文件可供下载。");
        }
        var upload = await db.Uploads.AsNoTracking().FirstAsync(u => u.Id == material.UploadId, cancellationToken);
        return TypedResults.File(store.OpenRead(upload.StorageKey), upload.ContentType, upload.FileName);
    }
}
