using Songjiang.ServiceDefaults.Authentication;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Songjiang.Cases.Api.Clients;
using Songjiang.Cases.Api.Domain;
using Songjiang.Cases.Api.Infrastructure;
using Songjiang.Cases.Api.CaseFlow;
using Songjiang.EventBus;
using Songjiang.ServiceDefaults.Problems;
using Songjiang.SharedKernel;
using Songjiang.Workflows;
using Songjiang.Workflows.Calendar;

namespace Songjiang.Cases.Api.Features;

/// <summary>
/// Submits an application: checks the form with the catalog, resolves every required material (an upload, or a
/// valid electronic licence the applicant holds), checks credit for 承诺办, then stores the application (and a
/// bundle's children), its events and the start of its workflow in one transaction. A repeated Idempotency-Key
/// returns the application it created.
/// </summary>
public sealed partial class ApplicationSubmission(
    CasesDbContext db, IWorkflowRuntime workflows, IOutbox<CasesDbContext> outbox, CatalogClient catalog,
    EnterprisesClient enterprises, LicencesClient licences, TimeProvider clock, IConfiguration configuration)
{
    // The city this platform serves (Platform:CityCode): a matter another city approves is forwarded there.
    private readonly string _ownCity = OwnCity(configuration);

    /// <summary>The city a platform serves (<c>Platform:CityCode</c>, Songjiang by default).</summary>
    public static string OwnCity(IConfiguration configuration) =>
        configuration["Platform:CityCode"] is { Length: > 0 } own ? own : G60Cities.Songjiang.Code;

    private static readonly WorkingDayCalendar Calendar = WorkingDayCalendar.China;

    /// <summary>The result: the application, and whether this call created it.</summary>
    public sealed record Submitted(Application Application, bool Created);

    /// <summary>Submits, or returns the application an earlier call with the same key created.</summary>
    public async Task<Submitted> SubmitAsync(
        SubmitApplicationRequest request, Caller caller, string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (idempotencyKey is { Length: > 128 })
        {
            throw new ValidationFailedException("Idempotency-Key", "Idempotency-Key 不超过 128 个字符。");
        }
        if (idempotencyKey is not null && await ExistingAsync(caller, idempotencyKey, request, cancellationToken) is { } existing)
        {
            return new Submitted(existing, false);
        }

        try
        {
            var applicant = Applicant(request, caller, _ownCity);
            var target = await TargetAsync(request, caller, cancellationToken);
            await CheckFormAsync(target, request.Form!.Value, cancellationToken);
            CheckFormNamesApplicant(request.Form!.Value, applicant);
            if (request.Commitment)
            {
                await CheckCommitmentAsync(target, applicant, cancellationToken);
            }
            var materials = await ResolveMaterialsAsync(target, request.Materials ?? [], applicant.Uscc, caller, cancellationToken);
            var authorisation = await AuthorisationAsync(request, applicant, caller, cancellationToken);
            if (authorisation is not null)
            {
                materials[AuthorisationCode] = [authorisation];
            }
            return new Submitted(await CreateAsync(target, request, applicant, materials, caller, idempotencyKey, cancellationToken), true);
        }
        catch (Exception e) when (idempotencyKey is not null && e is DbUpdateException or ValidationFailedException or ConflictException)
        {
            // A concurrent call with the same key got there first: it won the unique index, or attached the uploads
            // this call was checking. Every such caller gets that one application, not a 400.
            db.ChangeTracker.Clear();
            if (await ExistingAsync(caller, idempotencyKey, request, cancellationToken) is { } winner)
            {
                return new Submitted(winner, false);
            }
            if (e is DbUpdateException)
            {
                throw new ConflictException("申请暂时无法保存，请用相同的 Idempotency-Key 重试。");
            }
            throw;
        }
    }

    private async Task<Application?> ExistingAsync(Caller caller, string key, SubmitApplicationRequest request, CancellationToken cancellationToken)
    {
        var existing = await db.Applications.AsNoTracking()
            .FirstOrDefaultAsync(a => a.SubmittedBy == caller.Id && a.IdempotencyKey == key, cancellationToken);
        if (existing is null)
        {
            return null;
        }
        var uploads = await db.Uploads.AsNoTracking().Where(u => u.ApplicationId == existing.Id).Select(u => u.Id).ToListAsync(cancellationToken);
        if (!SameRequest(existing, uploads, request))
        {
            throw new ConflictException(
                $"幂等键“{key}”已用于申请 {existing.Number}，而这次请求的内容不同；新的申请请换一个 Idempotency-Key。");
        }
        return existing;
    }

    // The same key must come with the same request: matter or bundle, applicant, commitment, form (as JSON, not as
    // bytes) and the uploads named.
    private static bool SameRequest(Application existing, List<Guid> uploads, SubmitApplicationRequest request) =>
        existing.MatterCode == request.MatterCode
        && existing.BundleCode == request.BundleCode
        && existing.CommitmentBased == (request.Commitment && request.MatterCode is not null)
        && (request.ApplicantUscc is null || string.Equals(existing.ApplicantUscc, request.ApplicantUscc, StringComparison.OrdinalIgnoreCase))
        && request.Form is { } form
        && JsonNode.DeepEquals(JsonNode.Parse(existing.Form), JsonNode.Parse(form.GetRawText()))
        && uploads.ToHashSet().SetEquals((request.Materials ?? []).Values.Concat(request.Authorisation is { } a ? [a] : []));

    private sealed record ApplicantInfo(string? Uscc, string Name, Channel Channel, string? PartnerCity = null);

    private static ApplicantInfo Applicant(SubmitApplicationRequest request, Caller caller, string ownCity)
    {
        if (caller.IsEnterprise)
        {
            if (request.ApplicantUscc is not null && !string.Equals(request.ApplicantUscc, caller.Uscc, StringComparison.OrdinalIgnoreCase))
            {
                throw new ForbiddenException("企业只能为本企业提交申请。");
            }
            return new ApplicantInfo(caller.Uscc, caller.EnterpriseName ?? caller.Name, Channel.Online);
        }
        var viaExchange = caller.IsPlatformService && request.PartnerCity is not null;
        if (viaExchange && (G60Cities.Find(request.PartnerCity!) is null || request.PartnerCity == ownCity))
        {
            throw new ValidationFailedException("partnerCity", $"{request.PartnerCity} 不是 G60 合作城市（须为本市以外的 G60 城市的行政区划代码）。");
        }
        if (caller.IsWindowClerk || caller.IsPartnerCity || viaExchange)
        {
            var errors = new Dictionary<string, string[]>();
            if (!UnifiedSocialCreditCode.TryParse(request.ApplicantUscc, out var uscc, out var error))
            {
                errors["applicantUscc"] = [request.ApplicantUscc is null ? "请填写申请人的统一社会信用代码。" : error];
            }
            if (string.IsNullOrWhiteSpace(request.ApplicantName) || request.ApplicantName.Length > 200)
            {
                errors["applicantName"] = ["请填写申请人名称，不超过 200 个字符。"];
            }
            if (errors.Count > 0)
            {
                throw new ValidationFailedException(errors);
            }
            return new ApplicantInfo(uscc!.Value.Value, request.ApplicantName!.Trim(), caller.IsWindowClerk ? Channel.Window : Channel.PartnerCity,
                caller.IsWindowClerk ? null : caller.City is { } own && caller.IsPartnerCity ? own : request.PartnerCity);
        }
        throw new ForbiddenException("只有企业、代企业办理的窗口人员和 G60 合作城市可以提交申请。");
    }

    private const string AuthorisationCode = "authorisation";

    // Every field of the form that names an enterprise by its code must name the applicant: an enterprise files only
    // for itself, a clerk only for the enterprise that authorised it. Otherwise whoever may file a matter could, say,
    // deregister any enterprise by typing its code.
    private static void CheckFormNamesApplicant(JsonElement form, ApplicantInfo applicant)
    {
        var errors = new Dictionary<string, string[]>();
        void Walk(JsonElement node, string path)
        {
            if (node.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var item in node.EnumerateArray())
                {
                    Walk(item, $"{path}[{i++}]");
                }
                return;
            }
            if (node.ValueKind != JsonValueKind.Object)
            {
                return;
            }
            foreach (var property in node.EnumerateObject())
            {
                var field = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                if (IsEnterpriseCodeField(property.Name) && property.Value.ValueKind == JsonValueKind.String
                    && !string.Equals(property.Value.GetString()?.Trim(), applicant.Uscc, StringComparison.OrdinalIgnoreCase))
                {
                    errors["form." + field] = [$"表单中的统一社会信用代码必须是申请人 {applicant.Name}（{applicant.Uscc}）的；只能为申请人本身办理。"];
                }
                Walk(property.Value, field);
            }
        }
        if (applicant.Uscc is not null)
        {
            Walk(form, "");
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
    }

    private static bool IsEnterpriseCodeField(string name) =>
        name.Equals("uscc", StringComparison.OrdinalIgnoreCase)
        || name.Equals("applicantUscc", StringComparison.OrdinalIgnoreCase)
        || name.Equals("enterpriseUscc", StringComparison.OrdinalIgnoreCase);

    // 代办 at the window needs the enterprise's power of attorney, uploaded by the clerk and kept with the case.
    private async Task<ApplicationMaterial?> AuthorisationAsync(
        SubmitApplicationRequest request, ApplicantInfo applicant, Caller caller, CancellationToken cancellationToken)
    {
        if (applicant.Channel != Channel.Window)
        {
            return null;
        }
        if (request.Authorisation is not { } id)
        {
            throw new ValidationFailedException("authorisation",
                $"窗口代办须上传 {applicant.Name} 盖章的授权委托书，并在 authorisation 中给出该上传文件的 id。");
        }
        var upload = await db.Uploads.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (upload is null || upload.Owner != caller.Id)
        {
            throw new ValidationFailedException("authorisation", $"没有您上传的文件 {id}。");
        }
        if (upload.ApplicationId is not null)
        {
            throw new ValidationFailedException("authorisation", $"文件 {id} 已附在另一件申请上，请重新上传授权委托书。");
        }
        var material = new ApplicationMaterial { Code = AuthorisationCode, Name = "授权委托书", Required = true };
        Attach(material, upload);
        return material;
    }

    /// <summary>What is applied for: one matter, or a bundle with its matters.</summary>
    private sealed record Target(CatalogMatter? Matter, CatalogBundle? Bundle, IReadOnlyList<CatalogMatter> Matters)
    {
        public string Code => Matter?.Code ?? Bundle!.Code;
    }

    private async Task<Target> TargetAsync(SubmitApplicationRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if ((request.MatterCode is null) == (request.BundleCode is null))
        {
            errors["matterCode"] = ["matterCode（事项）与 bundleCode（一件事）须填写其中一项，且只填一项。"];
        }
        // The catalog's code format, checked before the code goes into a URL: a 10,000-character code would otherwise
        // fail the catalog call and read as the catalog being down.
        foreach (var (field, code) in new[] { ("matterCode", request.MatterCode), ("bundleCode", request.BundleCode) })
        {
            if (code is not null && !CatalogCode().IsMatch(code))
            {
                errors[field] = ["不是有效的事项编码：应为 2–32 位大写字母、数字和连字符。"];
            }
        }
        if (request.Form is not { ValueKind: JsonValueKind.Object })
        {
            errors["form"] = ["请填写申请表，申请表须为 JSON 对象。"];
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        Target target;
        if (request.MatterCode is { } matterCode)
        {
            var matter = await catalog.FindMatterAsync(matterCode, cancellationToken)
                ?? throw new ValidationFailedException("matterCode", $"事项目录中没有编码为“{matterCode}”的事项。");
            target = new Target(matter, null, [matter]);
        }
        else
        {
            var bundle = await catalog.FindBundleAsync(request.BundleCode!, cancellationToken)
                ?? throw new ValidationFailedException("bundleCode", $"事项目录中没有编码为“{request.BundleCode}”的一件事。");
            var matters = new List<CatalogMatter>();
            foreach (var item in bundle.Matters)
            {
                matters.Add(await catalog.FindMatterAsync(item.Code, cancellationToken)
                    ?? throw new DependencyUnavailableException($"事项目录暂时无法提供一件事“{bundle.Name}”中的事项 {item.Code}，请稍后重试。"));
            }
            target = new Target(null, bundle, matters);
        }

        var partnerCity = caller.IsPartnerCity ? caller.City : caller.IsPlatformService ? request.PartnerCity : null;
        if (partnerCity is { } city
            && target.Matters.FirstOrDefault(m => !m.CrossProvince || (m.PartnerCities.Count > 0 && !m.PartnerCities.Contains(city))) is { } local)
        {
            throw new ForbiddenException($"《{local.Name}》未向{CityName(city)}开放跨省通办。");
        }
        if (target.Bundle is not null && target.Matters.FirstOrDefault(m => m.HandledElsewhere(_ownCity) is not null) is { } elsewhere)
        {
            throw new ValidationFailedException("bundleCode",
                $"套餐中的《{elsewhere.Name}》由{CityName(elsewhere.ApprovingCity!)}审批，不能与本地事项合并办理，请单独申请。");
        }
        if (partnerCity is not null && target.Matter?.HandledElsewhere(_ownCity) is { } approving)
        {
            // A matter approved by a third city is filed there directly: this platform does not relay a relay.
            throw new ForbiddenException($"《{target.Matter.Name}》由{CityName(approving)}审批，请直接向{CityName(approving)}提交。");
        }
        return target;
    }

    private async Task CheckFormAsync(Target target, JsonElement form, CancellationToken cancellationToken)
    {
        var check = await catalog.CheckFormAsync(target.Bundle is not null, target.Code, form, cancellationToken);
        if (!check.Valid)
        {
            throw new ValidationFailedException(check.Errors.ToDictionary(e => "form" + e.Key, e => e.Value));
        }
    }

    private async Task CheckCommitmentAsync(Target target, ApplicantInfo applicant, CancellationToken cancellationToken)
    {
        if (target.Matter is not { AllowsCommitment: true } matter)
        {
            throw new ValidationFailedException("commitment",
                $"《{target.Matter?.Name ?? target.Bundle!.Name}》不能按告知承诺办理，请提交全部材料申请。");
        }
        var eligibility = await enterprises.CommitmentEligibilityAsync(applicant.Uscc!, cancellationToken);
        if (eligibility is null)
        {
            throw new ForbiddenException(
                $"本平台没有 {applicant.Name} 的企业档案，无法核查其信用，《{matter.Name}》不能按告知承诺办理，请提交全部材料申请。");
        }
        if (!eligibility.Eligible)
        {
            throw new ForbiddenException($"不能按告知承诺办理：{eligibility.Reason}");
        }
    }

    private async Task<Dictionary<string, List<ApplicationMaterial>>> ResolveMaterialsAsync(
        Target target, Dictionary<string, Guid> given, string? uscc, Caller caller, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var known = target.Matters.SelectMany(m => m.Materials.SelectMany(x => new[] { x.Code, $"{m.Code}/{x.Code}" })).ToHashSet();
        foreach (var key in given.Keys.Where(k => !known.Contains(k)))
        {
            errors[$"materials.{key}"] = [$"“{key}”不是《{target.Matter?.Name ?? target.Bundle!.Name}》的申请材料。"];
        }

        var uploads = await db.Uploads.Where(u => given.Values.Contains(u.Id)).ToDictionaryAsync(u => u.Id, cancellationToken);
        foreach (var (key, id) in given)
        {
            if (!uploads.TryGetValue(id, out var upload) || upload.Owner != caller.Id)
            {
                errors[$"materials.{key}"] = [$"没有您上传的文件 {id}。"];
            }
            else if (upload.ApplicationId is not null)
            {
                errors[$"materials.{key}"] = [$"文件 {id} 已附在另一件申请上，请重新上传。"];
            }
        }

        var needsLicences = uscc is not null && target.Matters.Any(m => m.Materials.Any(x => x.AcceptedLicenceTypes.Count > 0));
        var held = needsLicences
            ? await licences.ValidLicencesAsync(uscc!, Calendar.LocalDate(clock.GetUtcNow()), cancellationToken)
            : [];

        // Licences the bundle's own matters will issue, e.g. 企业开办's business licence for its other matters.
        var fromBundle = target.Bundle is null
            ? []
            : target.Matters.Select(m => m.LicenceType).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var resolved = new Dictionary<string, List<ApplicationMaterial>>();
        foreach (var matter in target.Matters)
        {
            var list = new List<ApplicationMaterial>();
            foreach (var material in matter.Materials)
            {
                var row = new ApplicationMaterial { Code = material.Code, Name = material.Name, Required = material.Required };
                if ((given.TryGetValue($"{matter.Code}/{material.Code}", out var id) || given.TryGetValue(material.Code, out id))
                    && uploads.TryGetValue(id, out var upload))
                {
                    Attach(row, upload);
                }
                else if (held.FirstOrDefault(l => material.AcceptedLicenceTypes.Contains(l.TypeCode)) is { } licence)
                {
                    row.Source = MaterialSource.Licence;
                    row.LicenceNumber = licence.Number;
                    row.LicenceType = licence.TypeCode;
                }
                else if (material.AcceptedLicenceTypes.FirstOrDefault(fromBundle.Contains) is { } issuedWithin
                    && matter.LicenceType != issuedWithin)
                {
                    row.Source = MaterialSource.Bundle;
                    row.LicenceType = issuedWithin;
                }
                else if (material.Required)
                {
                    var licenceHint = material.AcceptedLicenceTypes.Count > 0
                        ? $"；持有有效的电子证照（{string.Join("、", material.AcceptedLicenceTypes)}）的，可免交"
                        : "";
                    errors[target.Bundle is null ? $"materials.{material.Code}" : $"materials.{matter.Code}/{material.Code}"] =
                        [$"请上传《{material.Name}》{licenceHint}。"];
                }
                list.Add(row);
            }
            resolved[matter.Code] = list;
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
        return resolved;
    }

    /// <summary>Records an upload as the material.</summary>
    public static void Attach(ApplicationMaterial material, Upload upload)
    {
        material.Source = MaterialSource.Upload;
        material.UploadId = upload.Id;
        material.FileName = upload.FileName;
        material.ContentType = upload.ContentType;
        material.Size = upload.Size;
        material.Sha256 = upload.Sha256;
        material.LicenceNumber = null;
        material.LicenceType = null;
    }

    /// <summary>The bundle workflow that runs an establishment before the bundle's other matters.</summary>
    public const string EstablishmentBundleWorkflow = "bundle-establishment";

    private async Task<Application> CreateAsync(
        Target target, SubmitApplicationRequest request, ApplicantInfo applicant, Dictionary<string, List<ApplicationMaterial>> materials,
        Caller caller, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var form = request.Form!.Value.GetRawText();
        // Taken before the transaction, in a statement of its own: inside it, the day's counter row would stay locked
        // until the whole submission commits and every other submission would wait for it (ADR 0055).
        var number = await ApplicationNumbers.NextAsync(db, now, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // A bundle that establishes an enterprise (企业开办) runs the establishment first and the other matters, in
        // parallel, only once it is done: they are for the company the registration creates.
        var ordered = target.Bundle is not null && target.Matters.Count > 1 && target.Matters.Any(m => m.Establishes);
        var bundleWorkflow = ordered ? EstablishmentBundleWorkflow : "bundle";

        Application NewApplication(CatalogMatter? matter, string number, string correlation, Guid? parentId, string? parentNumber) => new()
        {
            Number = number,
            ParentId = parentId,
            ParentNumber = parentNumber,
            Kind = matter is null ? ApplicationKind.Bundle : ApplicationKind.Matter,
            MatterCode = matter?.Code,
            MatterVersion = matter?.Version,
            BundleCode = target.Bundle?.Code,
            Name = matter?.Name ?? target.Bundle!.Name,
            Department = matter?.Department ?? target.Matters[0].Department,
            Workflow = matter is null ? bundleWorkflow : WorkflowOf(matter, request.Commitment),
            Correlation = correlation,
            Channel = applicant.Channel,
            ApplicantUscc = applicant.Uscc,
            ApplicantName = applicant.Name,
            PartnerCity = applicant.PartnerCity,
            SubmittedBy = caller.Id,
            Form = form,
            // What approval yields is issued by the approving city when another city approves it.
            ApprovalOutcome = matter?.HandledElsewhere(_ownCity) is null ? matter?.OutcomeJson : null,
            CommitmentBased = request.Commitment && matter is not null,
            VisitsRequired = matter?.VisitsRequired ?? target.Matters.Max(m => m.VisitsRequired),
            IdempotencyKey = parentId is null ? idempotencyKey : null,
            HandledByCity = matter?.HandledElsewhere(_ownCity),
            Status = matter is null ? ApplicationStatus.InProgress : ApplicationStatus.Submitted,
            Materials = matter is null ? [] : materials[matter.Code],
            SubmittedAt = now,
            PromisedDueAt = Calendar.DueAt(now, matter?.PromisedLimitDays ?? target.Bundle!.PromisedLimitDays),
        };

        var root = NewApplication(target.Matter, number, number, null, null);
        if (materials.TryGetValue(AuthorisationCode, out var authorisation))
        {
            root.Materials.AddRange(authorisation);
        }
        var all = new List<Application> { root };
        JsonObject data;
        if (target.Bundle is null)
        {
            data = WorkflowData(target.Matter!, number);
        }
        else
        {
            var items = new JsonArray();
            var registrations = new JsonArray();
            for (var i = 0; i < target.Matters.Count; i++)
            {
                var matter = target.Matters[i];
                var first = ordered && matter.Establishes && registrations.Count == 0;
                // The runtime correlates each child as parent/<sub-workflow node>/<position in its list>.
                var correlation = first ? $"{number}/registration/1" : $"{number}/matters/{items.Count + 1}";
                var child = NewApplication(matter, ApplicationNumbers.Child(number, i + 1), correlation, root.Id, number);
                all.Add(child);
                var item = WorkflowData(matter, child.Number);
                item["workflow"] = child.Workflow;
                (first ? registrations : items).Add(item);
            }
            data = new JsonObject { ["applicationNumber"] = number, ["matters"] = items };
            if (ordered)
            {
                data["registrations"] = registrations;
            }
        }

        db.Applications.AddRange(all);
        var onBehalfOf = applicant.Channel == Channel.Online ? null : caller.Id;
        foreach (var application in all)
        {
            outbox.Add(CaseEvents.Submitted(application, onBehalfOf));
        }
        await db.SaveChangesAsync(cancellationToken);

        // Each upload belongs to one application: take only those still free, in this transaction. A concurrent
        // submission that took one first makes this one a conflict, and nothing of it is stored.
        var attached = all.SelectMany(a => a.Materials).Where(m => m.UploadId is not null).Select(m => m.UploadId!.Value).ToHashSet();
        var taken = attached.Count == 0 ? 0 : await db.Uploads
            .Where(u => attached.Contains(u.Id) && u.ApplicationId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.ApplicationId, root.Id), cancellationToken);
        if (taken != attached.Count)
        {
            throw new ConflictException("所附材料中有文件已经附在另一件申请上；每个上传的文件只能用于一件申请，请重新上传。");
        }

        if (root.HandledByCity is null)
        {
            var started = await workflows.Using(db).StartAsync(root.Workflow, root.Correlation, data,
                new WorkflowActor(caller.Id, Caller.ApplicantDepartment, []), cancellationToken);
            root.WorkflowInstanceId = started.InstanceId;
            await db.SaveChangesAsync(cancellationToken);
        }
        // Otherwise no workflow runs here, so no caseworker of this platform gets a task: the exchange forwards the
        // application on its submitted event and reports the other city's steps (ApplicationsApi.ReportForwardingAsync).
        await transaction.CommitAsync(cancellationToken);
        return root;
    }

    /// <summary>A G60 city's Chinese name.</summary>
    public static string CityName(string code) => G60Cities.Find(code)?.Name ?? code;

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Z0-9-]{2,32}$")]
    private static partial System.Text.RegularExpressions.Regex CatalogCode();

    // 承诺办 runs on the commitment workflow only when the applicant chose it; otherwise the standard procedure.
    private static string WorkflowOf(CatalogMatter matter, bool commitment) =>
        commitment ? CaseProjection.CommitmentWorkflow
        : matter.WorkflowDefinition == CaseProjection.CommitmentWorkflow ? "standard-approval"
        : matter.WorkflowDefinition;

    private static JsonObject WorkflowData(CatalogMatter matter, string number) => new()
    {
        ["applicationNumber"] = number,
        ["matter"] = new JsonObject
        {
            ["code"] = matter.Code,
            ["department"] = matter.Department,
            ["statutoryLimitDays"] = matter.StatutoryLimitDays,
        },
        ["reviews"] = new JsonArray([.. matter.ReviewDepartments.Select(d => (JsonNode)new JsonObject
        {
            ["department"] = d,
            ["applicationNumber"] = number,
        })]),
    };
}
