using Songjiang.ServiceDefaults.Time;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Songjiang.Exchange.Api.Clients;
using Songjiang.Exchange.Api.Domain;
using Songjiang.Exchange.Api.Extensions;
using Songjiang.Exchange.Api.Infrastructure;
using Songjiang.Exchange.Api.Partners;
using Songjiang.ServiceDefaults.Problems;
using Songjiang.SharedKernel;

namespace Songjiang.Exchange.Api.Features;

/// <summary>
/// Applications filed by partner cities (异地代收): filed as cases on the <c>partner-city</c> channel with the city
/// recorded, idempotent per city and partner reference, readable only by the city that filed them.
/// </summary>
public static class PartnerApplicationsApi
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Dependencies of the handlers.</summary>
    public sealed record Services(
        ExchangeDbContext Db, CasesClient Cases, CatalogClient Catalog, IOptions<ExchangeOptions> Options, TimeProvider Clock);

    /// <summary>Maps the endpoints.</summary>
    public static RouteGroupBuilder MapPartnerApplicationsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/applications", SubmitAsync).WithName("partner-submit-application")
            .WithSummary("Files an application for one of the city's enterprises; idempotent per partnerReference.")
            .Accepts<PartnerApplicationRequest>("application/json")
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(409).ProducesProblem(413);
        api.MapGet("/applications/{id:guid}", GetAsync).WithName("partner-get-application")
            .WithSummary("Status, timeline, what is asked (补正) and results of an application this city filed.")
            .ProducesProblem(401).ProducesProblem(404);
        api.MapPost("/applications/{id:guid}/resubmissions", ResubmitAsync).WithName("partner-resubmit-application")
            .WithSummary("The answer to a correction request (补正): the corrected materials.")
            .Accepts<PartnerResubmission>("application/json")
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(404).ProducesProblem(409);
        return api;
    }

    /// <summary>Reads the signed body as JSON; malformed JSON is a 400 naming the body.</summary>
    internal static T ReadBody<T>(PartnerCaller caller) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(caller.Body, Json) ?? throw new JsonException();
        }
        catch (JsonException)
        {
            throw new ValidationFailedException("body", "请求体不是有效的 JSON 对象。");
        }
    }

    private static async Task<Accepted<PartnerApplicationAccepted>> SubmitAsync(HttpContext context, [AsParameters] Services s, CancellationToken cancellationToken)
    {
        var caller = PartnerCaller.Of(context);
        var request = ReadBody<PartnerApplicationRequest>(caller);
        var reference = request.PartnerReference?.Trim();
        if (string.IsNullOrEmpty(reference) || reference.Length > 128)
        {
            throw new ValidationFailedException("partnerReference", "须填写本城市的申请编号（不超过 128 个字符）。");
        }
        if (await ExistingAsync(s.Db, caller, reference, cancellationToken) is { } existing)
        {
            return Accepted(existing);
        }

        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.MatterCode))
        {
            errors["matterCode"] = ["须填写事项编码。"];
        }
        if (!UnifiedSocialCreditCode.TryParse(request.Applicant?.Uscc, out var uscc, out _))
        {
            errors["applicant.uscc"] = ["统一社会信用代码无效（须为 18 位且校验码正确，GB 32100）。"];
        }
        var name = request.Applicant?.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200)
        {
            errors["applicant.name"] = ["须填写申请企业名称（不超过 200 个字符）。"];
        }
        if (request.Form is not { ValueKind: JsonValueKind.Object })
        {
            errors["form"] = ["须提供申请表（JSON 对象）。"];
        }
        var materials = MaterialDecoder.Decode(request.Materials, s.Options.Value.MaxMaterialBytes, errors);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var matter = await EntitledMatterAsync(s.Catalog, caller.City, request.MatterCode!.Trim().ToUpperInvariant(), cancellationToken);
        var unknown = materials.Where(m => matter.Materials.All(x => x.Code != m.Code)).ToList();
        if (unknown.Count > 0)
        {
            throw new ValidationFailedException(unknown.ToDictionary(
                m => $"materials[{materials.IndexOf(m)}].code", m => new[] { $"{m.Code} 不是《{matter.Name}》的材料。" }));
        }

        var checks = await s.Catalog.CheckFormAsync(matter.Code, request.Form!.Value, cancellationToken);
        foreach (var missing in matter.Materials.Where(x => x.Required && (x.AcceptedLicenceTypes?.Count ?? 0) == 0 && materials.All(m => m.Code != x.Code)))
        {
            checks[$"materials.{missing.Code}"] = [$"须提供《{missing.Name}》。"];
        }
        if (checks.Count > 0)
        {
            throw new ValidationFailedException(checks);
        }

        // Everything the exchange can check is checked: now the cases service takes the materials and the application.
        // Its own key makes a retry after a lost answer return the same case.
        var uploads = new Dictionary<string, Guid>();
        foreach (var material in materials)
        {
            uploads[material.Code] = await s.Cases.UploadAsync(material.FileName, material.MediaType, material.Content, cancellationToken);
        }
        CaseApplication filed;
        try
        {
            filed = await s.Cases.SubmitAsync(new
            {
                matterCode = matter.Code,
                form = request.Form,
                materials = uploads,
                applicantUscc = uscc!.Value.Value,
                applicantName = name,
                partnerCity = caller.City,
            }, IdempotencyKey(caller.City, reference), cancellationToken);
        }
        catch (CasesRefusedException refused)
        {
            throw Translate(refused);
        }

        var application = new PartnerApplication
        {
            City = caller.City,
            PartnerReference = reference,
            RequestSha256 = caller.BodySha256,
            CaseNumber = filed.Summary.Number,
            MatterCode = matter.Code,
            MatterName = matter.Name,
            ApplicantUscc = uscc.Value.Value,
            ApplicantName = name!,
            Status = filed.Summary.Status,
            CreatedAt = s.Clock.GetUtcNow(),
        };
        s.Db.Applications.Add(application);
        Webhooks.WebhookQueue.Enqueue(s.Db, application, filed.Summary.Status, null, s.Options.Value, s.Clock.GetUtcNow());
        try
        {
            await s.Db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A concurrent retry with the same reference stored it first.
            s.Db.ChangeTracker.Clear();
            return Accepted(await ExistingAsync(s.Db, caller, reference, cancellationToken)
                ?? throw new ConflictException("申请暂时无法保存，请用相同的 partnerReference 重试。"));
        }
        return Accepted(application);
    }

    private static Accepted<PartnerApplicationAccepted> Accepted(PartnerApplication a) =>
        TypedResults.Accepted($"/api/partner/v1/applications/{a.Id}", new PartnerApplicationAccepted(a.Id, a.CaseNumber, a.Status, a.PartnerReference));

    private static async Task<PartnerApplication?> ExistingAsync(ExchangeDbContext db, PartnerCaller caller, string reference, CancellationToken cancellationToken)
    {
        var existing = await db.Applications.AsNoTracking().FirstOrDefaultAsync(a => a.City == caller.City && a.PartnerReference == reference, cancellationToken);
        if (existing is not null && existing.RequestSha256 != caller.BodySha256)
        {
            throw new ConflictException($"partnerReference {reference} 已用于申请 {existing.CaseNumber}，且请求内容不同；新的申请请使用新的 partnerReference。");
        }
        return existing;
    }

    /// <summary>The matter, if the city may file it: unknown matter 400, a matter not open to the city 403.</summary>
    internal static async Task<CatalogMatter> EntitledMatterAsync(CatalogClient catalog, string city, string code, CancellationToken cancellationToken)
    {
        var open = await catalog.MattersForCityAsync(city, cancellationToken);
        if (open.FirstOrDefault(m => m.Code == code) is { } matter)
        {
            return matter;
        }
        if (await catalog.ExistsAsync(code, cancellationToken))
        {
            throw new ForbiddenException($"事项 {code} 未向 {G60Cities.Find(city)?.Name ?? city} 开放跨省通办，不能代收。");
        }
        throw new ValidationFailedException("matterCode", $"事项目录中没有事项 {code}。");
    }

    // The cases service's own idempotency key for this city's reference (its keys are per submitter, and every
    // partner city's application is submitted by the exchange's service account).
    private static string IdempotencyKey(string city, string reference) =>
        $"g60-{city}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(reference)))[..40]}";

    internal static Exception Translate(CasesRefusedException refused) => refused.Status switch
    {
        400 when refused.Errors is { Count: > 0 } errors => new ValidationFailedException(errors),
        400 => new ValidationFailedException("application", refused.Message),
        403 => new ForbiddenException(refused.Message),
        404 => new NotFoundException(refused.Message),
        409 => new ConflictException(refused.Message),
        413 => new PayloadTooLargeException(refused.Message),
        415 => new UnsupportedMediaTypeException(refused.Message),
        _ => new DependencyUnavailableException("办件系统暂时无法处理该请求，请稍后重试。"),
    };

    internal static async Task<PartnerApplication> OwnAsync(ExchangeDbContext db, PartnerCaller caller, Guid id, CancellationToken cancellationToken) =>
        await db.Applications.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id && a.City == caller.City, cancellationToken)
            ?? throw new NotFoundException($"没有贵市提交的申请 {id}。");

    private static async Task<Ok<PartnerApplicationView>> GetAsync(Guid id, HttpContext context, [AsParameters] Services s, CancellationToken cancellationToken)
    {
        var application = await OwnAsync(s.Db, PartnerCaller.Of(context), id, cancellationToken);
        CaseApplication view;
        IReadOnlyList<CaseTimelineEntry> timeline;
        try
        {
            view = await s.Cases.GetAsync(application.CaseNumber, cancellationToken);
            timeline = await s.Cases.TimelineAsync(application.CaseNumber, cancellationToken);
        }
        catch (CasesRefusedException refused)
        {
            throw Translate(refused);
        }
        var status = view.Summary.Status;
        return TypedResults.Ok(new PartnerApplicationView(
            application.Id, application.CaseNumber, application.PartnerReference, application.MatterCode, application.MatterName,
            application.ApplicantUscc, application.ApplicantName, status, StatusNames.Of(status), view.Summary.Outcome, view.Reason,
            view.Summary.SubmittedAt.ToOffset(StatusNames.China), view.Summary.CompletedAt?.ToOffset(StatusNames.China),
            view.Ask is { } ask ? new PartnerAsk(ask.Action, ask.Materials, ask.Note, ask.DueAt?.ToOffset(StatusNames.China)) : null,
            [.. (view.Results ?? []).Select(r => new PartnerResult(r.LicenceNumber, r.TypeCode, r.ValidFrom, r.ValidUntil))],
            [.. timeline.Select(t => new PartnerTimelineEntry(t.At.ToOffset(StatusNames.China), t.Event, t.Step, t.By, t.Detail))]));
    }

    private static async Task<Accepted<PartnerApplicationAccepted>> ResubmitAsync(
        Guid id, HttpContext context, [AsParameters] Services s, CancellationToken cancellationToken)
    {
        var caller = PartnerCaller.Of(context);
        var application = await OwnAsync(s.Db, caller, id, cancellationToken);
        var request = ReadBody<PartnerResubmission>(caller);
        var errors = new Dictionary<string, string[]>();
        if (request.Materials is not { Count: > 0 })
        {
            errors["materials"] = ["须提供补正的材料。"];
        }
        if (request.Note is { Length: > 500 })
        {
            errors["note"] = ["说明不超过 500 个字符。"];
        }
        var materials = MaterialDecoder.Decode(request.Materials, s.Options.Value.MaxMaterialBytes, errors);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
        try
        {
            var current = await s.Cases.GetAsync(application.CaseNumber, cancellationToken);
            if (current.Ask is not { Action: "resubmit" })
            {
                throw new ConflictException($"申请 {application.CaseNumber} 目前没有待补正的材料。");
            }
            var uploads = new Dictionary<string, Guid>();
            foreach (var material in materials)
            {
                uploads[material.Code] = await s.Cases.UploadAsync(material.FileName, material.MediaType, material.Content, cancellationToken);
            }
            var after = await s.Cases.ResubmitAsync(application.CaseNumber, uploads, request.Note, cancellationToken);
            return TypedResults.Accepted($"/api/partner/v1/applications/{application.Id}",
                new PartnerApplicationAccepted(application.Id, application.CaseNumber, after.Summary.Status, application.PartnerReference));
        }
        catch (CasesRefusedException refused)
        {
            throw Translate(refused);
        }
    }
}

/// <summary>Status names in Chinese, and China time.</summary>
public static class StatusNames
{
    /// <summary>China Standard Time (no daylight saving).</summary>
    public static readonly TimeSpan China = ChinaTime.Offset;

    /// <summary>The Chinese name of a case status.</summary>
    public static string Of(string status) => status switch
    {
        "submitted" => "已提交",
        "accepted" => "已受理",
        "correction-requested" => "待补正",
        "resubmitted" => "已补正",
        "under-review" => "审查中",
        "in-progress" => "办理中",
        "approved" => "已批准",
        "rejected" => "不予许可",
        "completed" => "已办结",
        "withdrawn" => "已撤回",
        "revoked" => "已撤销",
        _ => status,
    };
}
