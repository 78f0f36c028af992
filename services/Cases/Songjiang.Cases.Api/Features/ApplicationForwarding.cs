using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Songjiang.Cases.Api.CaseFlow;
using Songjiang.Cases.Api.Domain;
using Songjiang.Cases.Api.Infrastructure;
using Songjiang.Cases.Api.Storage;
using Songjiang.EventBus;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Problems;
using Songjiang.Workflows.Calendar;

namespace Songjiang.Cases.Api.Features;

/// <summary>An application another G60 city handles, as the exchange needs it to file it there.</summary>
public sealed record ForwardedCaseView(
    string Number, string? MatterCode, string HandledByCity, string ApplicantUscc, string ApplicantName, JsonElement Form, string Status,
    IReadOnlyList<string> CorrectionMaterials, IReadOnlyList<ForwardedMaterial> Materials);

/// <summary>An uploaded material with its content.</summary>
public sealed record ForwardedMaterial(string Code, string Name, string FileName, string ContentType, string Sha256, string Content);

/// <summary>A step of the other city, reported by the exchange.</summary>
/// <param name="Key">The reporter's key for the step, unique per application (e.g. the other city's webhook sequence).</param>
/// <param name="Step">forwarded, accepted, correction-requested, approved, rejected or refused.</param>
/// <param name="Detail">What the city said: the note of a 补正 request, the reason of a rejection or refusal, its case number.</param>
/// <param name="Materials">For a 补正 request: the material codes asked for again.</param>
/// <param name="Licences">For an approval: the licences the city issued.</param>
public sealed record ForwardingReport(string? Key, string? Step, string? Detail, List<string>? Materials, List<ForwardedLicence>? Licences);

/// <summary>A licence the other city issued.</summary>
public sealed record ForwardedLicence(string? Number, string? TypeCode, DateOnly? ValidFrom, DateOnly? ValidUntil);

/// <summary>The application after a report.</summary>
/// <param name="Number">The application.</param>
/// <param name="Status">Its status.</param>
/// <param name="Applied">False when the report was already applied (a repeat) and nothing changed.</param>
public sealed record ForwardingResult(string Number, string Status, bool Applied);

/// <summary>
/// Applications another G60 city approves (收受分离): no workflow runs here, the exchange files them at that city and
/// reports each of its steps through <c>/api/cases/forwarding</c> (platform service account only); each step is on
/// the applicant's timeline with the city's name, and its status events are published like a local case's.
/// </summary>
public static partial class ApplicationsApi
{
    private static readonly HashSet<string> ForwardingSteps = new(StringComparer.Ordinal)
    {
        "forwarded", "accepted", "correction-requested", "approved", "rejected", "refused",
    };

    /// <summary>Maps <c>/api/cases/forwarding</c>.</summary>
    public static IEndpointRouteBuilder MapForwardingApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/cases/forwarding").WithTags("Forwarding").RequireAuthorization(PlatformPolicies.Authenticated);
        api.MapGet("/{number}", ForwardedCaseAsync).WithName("GetForwardedApplication")
            .WithSummary("An application another city handles, with its materials' content (platform service account only).");
        api.MapPost("/{number}/steps", ReportForwardingAsync).WithName("ReportForwardingStep")
            .WithSummary("Records a step the other city took on an application it handles (platform service account only); a repeated key changes nothing.");
        return endpoints;
    }

    private static void RequireService(ClaimsPrincipal user)
    {
        if (!new Caller(user).IsPlatformService)
        {
            throw new ForbiddenException("只有平台服务账号（数据交换服务）可以报告转外市办理的办件进展。");
        }
    }

    private static async Task<Application> ForwardedAsync(CasesDbContext db, string number, bool tracked, CancellationToken cancellationToken)
    {
        var query = tracked ? db.Applications : db.Applications.AsNoTracking();
        return await query.FirstOrDefaultAsync(a => a.Number == number && a.HandledByCity != null, cancellationToken)
            ?? throw new NotFoundException($"没有转外市办理的办件 {number}。");
    }

    private static async Task<Ok<ForwardedCaseView>> ForwardedCaseAsync(
        string number, ClaimsPrincipal user, CasesDbContext db, IMaterialStore store, CancellationToken cancellationToken)
    {
        RequireService(user);
        var application = await ForwardedAsync(db, number, tracked: false, cancellationToken);
        var ids = application.Materials.Where(m => m.UploadId is not null).Select(m => m.UploadId!.Value).ToList();
        var uploads = await db.Uploads.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, cancellationToken);
        var materials = new List<ForwardedMaterial>();
        foreach (var material in application.Materials.Where(m => m.UploadId is not null && uploads.ContainsKey(m.UploadId.Value)))
        {
            var upload = uploads[material.UploadId!.Value];
            await using var content = store.OpenRead(upload.StorageKey);
            using var buffer = new MemoryStream();
            await content.CopyToAsync(buffer, cancellationToken);
            materials.Add(new ForwardedMaterial(material.Code, material.Name, upload.FileName, upload.ContentType, upload.Sha256,
                Convert.ToBase64String(buffer.ToArray())));
        }
        return TypedResults.Ok(new ForwardedCaseView(application.Number, application.MatterCode, application.HandledByCity!,
            application.ApplicantUscc ?? "", application.ApplicantName, JsonDocument.Parse(application.Form).RootElement.Clone(),
            ApplicationSummary.StatusName(application.Status), application.CorrectionMaterials, materials));
    }

    private static async Task<Ok<ForwardingResult>> ReportForwardingAsync(
        string number, ForwardingReport report, ClaimsPrincipal user, CasesDbContext db, IOutbox<CasesDbContext> outbox, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        RequireService(user);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(report.Key) || report.Key.Length > 64)
        {
            errors["key"] = ["须提供本次进展的标识（不超过 64 个字符）。"];
        }
        if (report.Step is null || !ForwardingSteps.Contains(report.Step))
        {
            errors["step"] = [$"进展须为以下之一：{string.Join("、", ForwardingSteps)}。"];
        }
        if (report.Detail is { Length: > 1000 })
        {
            errors["detail"] = ["说明不超过 1000 个字符。"];
        }
        if (report.Licences?.Any(l => string.IsNullOrWhiteSpace(l.Number) || l.Number.Length > 64 || string.IsNullOrWhiteSpace(l.TypeCode) || l.ValidFrom is null) == true)
        {
            errors["licences"] = ["每张证照须有证照编号、类型和生效日期。"];
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var application = await ForwardedAsync(db, number, tracked: true, cancellationToken);
        if (await db.ForwardingSteps.AnyAsync(s => s.ApplicationId == application.Id && s.Key == report.Key, cancellationToken))
        {
            return TypedResults.Ok(new ForwardingResult(application.Number, ApplicationSummary.StatusName(application.Status), false));
        }
        var city = application.HandledByCity!;
        var cityName = ApplicationSubmission.CityName(city);
        if (application.Status == ApplicationStatus.Completed)
        {
            throw new ConflictException($"办件 {number} 已办结，{cityName}的后续进展不再记录。");
        }
        var now = clock.GetUtcNow();
        var actor = $"city:{city}";
        var detail = report.Detail?.Trim();
        string title;
        switch (report.Step)
        {
            case "forwarded":
                title = $"已转{cityName}办理";
                break;
            case "accepted":
                title = $"{cityName}已受理";
                application.Status = ApplicationStatus.UnderReview;
                application.AcceptedAt ??= now;
                outbox.Add(CaseEvents.Accepted(application, actor));
                break;
            case "correction-requested":
                title = $"{cityName}要求补正";
                application.Status = ApplicationStatus.CorrectionRequested;
                var asked = (report.Materials ?? []).Where(code => application.Materials.Any(m => m.Code == code)).Distinct().ToList();
                application.CorrectionMaterials = asked.Count > 0 ? asked : [.. application.Materials.Where(m => m.UploadId is not null).Select(m => m.Code)];
                application.Reason = detail;
                outbox.Add(CaseEvents.CorrectionRequested(application, detail ?? "", null));
                break;
            case "approved":
                title = $"{cityName}准予许可";
                foreach (var licence in report.Licences ?? [])
                {
                    application.Results.Add(new ApplicationResult
                    {
                        LicenceNumber = licence.Number!.Trim(), TypeCode = licence.TypeCode!.Trim(), ValidFrom = licence.ValidFrom!.Value, ValidUntil = licence.ValidUntil,
                    });
                }
                if (report.Licences is { Count: > 0 } issued)
                {
                    detail = $"{cityName}核发证照：{string.Join("、", issued.Select(l => l.Number))}";
                }
                application.DecidedAt = now;
                application.Status = ApplicationStatus.Approved;
                outbox.Add(CaseEvents.Approved(application, actor, now));
                outbox.Add(CaseEvents.ApprovedV2(application, actor, now));
                Complete(application, "approved", now, outbox);
                break;
            default:
                title = report.Step == "rejected" ? $"{cityName}不予许可" : $"{cityName}未接收该申请";
                application.DecidedAt = now;
                application.Reason = detail ?? title;
                outbox.Add(CaseEvents.Rejected(application, actor));
                Complete(application, "rejected", now, outbox);
                break;
        }
        db.ForwardingSteps.Add(new ForwardingStep
        {
            ApplicationId = application.Id, Key = report.Key!, Event = report.Step!, Title = title, Detail = detail, City = city, At = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(new ForwardingResult(application.Number, ApplicationSummary.StatusName(application.Status), true));
    }

    private static void Complete(Application application, string outcome, DateTimeOffset at, IOutbox<CasesDbContext> outbox)
    {
        var calendar = WorkingDayCalendar.China;
        application.Outcome = outcome;
        application.Status = ApplicationStatus.Completed;
        application.CompletedAt = at;
        application.WorkingDaysTaken = calendar.CountWorkingDays(calendar.LocalDate(application.SubmittedAt), calendar.LocalDate(at));
        application.OnTime = at <= (application.StatutoryDueAt ?? application.PromisedDueAt ?? at);
        outbox.Add(CaseEvents.Completed(application));
    }

    // The applicant's answer to the other city's 补正 request: the corrected uploads are attached here and the
    // exchange sends them on (on the resubmitted event).
    private static async Task<ApplicationView> ResubmitForwardedAsync(
        Application application, ResubmitRequest request, Caller caller, CasesDbContext db, IOutbox<CasesDbContext> outbox, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var cityName = ApplicationSubmission.CityName(application.HandledByCity!);
        if (!ApplicationAccess.ActsForApplicant(caller, application))
        {
            throw new ForbiddenException("只有申请人本人（或代为提交的窗口人员）可以补正。");
        }
        if (application.Status != ApplicationStatus.CorrectionRequested)
        {
            throw new ConflictException($"办件 {application.Number} 目前没有待补正的材料（当前状态：{ApplicationSummary.StatusText(application.Status)}）。");
        }
        await AttachResubmittedAsync(db, caller, application, request, cityName, application.Id, cancellationToken);
        application.CorrectionMaterials = [.. (request.Materials ?? []).Keys];
        application.Status = ApplicationStatus.UnderReview;
        var evt = CaseEvents.Resubmitted(application);
        outbox.Add(evt);
        db.ForwardingSteps.Add(new ForwardingStep
        {
            ApplicationId = application.Id, Key = $"resubmitted-{evt.StatusSequence}", Event = "resubmitted",
            Title = $"补正材料已提交，转{cityName}审查", Detail = request.Note?.Trim(), City = application.HandledByCity!, At = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(cancellationToken);
        return await ViewAsync(db, application.Number, caller, cancellationToken);
    }
}
