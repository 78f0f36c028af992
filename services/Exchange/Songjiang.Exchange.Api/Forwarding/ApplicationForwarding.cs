using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Songjiang.Exchange.Api.Clients;
using Songjiang.Exchange.Api.Domain;
using Songjiang.Exchange.Api.Extensions;
using Songjiang.Exchange.Api.Features;
using Songjiang.Exchange.Api.Infrastructure;
using Songjiang.Exchange.Api.Webhooks;
using Songjiang.ServiceDefaults.Problems;
using Songjiang.SharedKernel;

namespace Songjiang.Exchange.Api.Forwarding;

/// <summary>What a city's webhook about a forwarded application did here.</summary>
/// <param name="Applied">False when it was a repeat (or a status that changes nothing here).</param>
/// <param name="Step">The step recorded on the local case, if any.</param>
public sealed record ForwardingWebhookResult(bool Applied, string? Step);

/// <summary>
/// Forwarding to the G60 city that approves a matter (收受分离): files the application at that city's partner API with
/// this platform's key (registering our callback there first), sends the applicant's answer to a 补正 request, and
/// turns that city's status webhooks into steps of the local case. Every call to the city goes through
/// <see cref="PartnerPlatformClient"/>, so it is signed and in the message log.
/// </summary>
public sealed class ApplicationForwarding(
    ExchangeDbContext db, PartnerPlatformClient partners, CasesClient cases, CatalogClient catalog, LicencesClient licences,
    IOptions<ExchangeOptions> options, TimeProvider clock, ILogger<ApplicationForwarding> logger)
{
    /// <summary>The path under which a city's platform sends us the webhooks of applications we forwarded.</summary>
    public const string CallbackPath = "/api/partner/v1/forwarding/webhook";

    private static readonly JsonSerializerOptions Json = PartnerApplicationsApi.Json;

    /// <summary>Files the application, or sends the applicant's correction; throws <see cref="ForwardingFailedException"/> to be retried.</summary>
    public async Task ProcessAsync(ForwardedApplication forward, CancellationToken cancellationToken)
    {
        var baseUrl = BaseUrlOf(forward.City);
        if (forward.State == ForwardStates.Pending)
        {
            await FileAsync(forward, baseUrl, cancellationToken);
        }
        if (forward.State == ForwardStates.Filed && forward.ResubmissionPending)
        {
            await ResubmitAsync(forward, baseUrl, cancellationToken);
        }
        if (forward.State == ForwardStates.Filed && forward.PendingLicences is not null)
        {
            await RecordLicencesAsync(forward, baseUrl, cancellationToken);
        }
    }

    // The licences the city issued on the application: each sealed document is fetched from that city's partner API and
    // handed to the licence library, which records it only after it verifies through the trust list (减材料, 互认).
    private async Task RecordLicencesAsync(ForwardedApplication forward, Uri baseUrl, CancellationToken cancellationToken)
    {
        var numbers = forward.PendingLicences!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var refused = new List<string>();
        foreach (var number in numbers)
        {
            var answer = await partners.SendAsync(forward.City, baseUrl, HttpMethod.Get,
                $"/api/partner/v1/licenses/{Uri.EscapeDataString(number)}/document", null, cancellationToken);
            if (!answer.Succeeded)
            {
                throw new ForwardingFailedException($"从{CityName(forward.City)}读取证照 {number} 的签章文档失败：{Describe(answer)}");
            }
            JsonElement document;
            try
            {
                using var parsed = JsonDocument.Parse(answer.Body);
                document = parsed.RootElement.Clone();
            }
            catch (JsonException)
            {
                refused.Add($"{CityName(forward.City)}返回的证照 {number} 不是 JSON 文档");
                continue;
            }
            var outcome = await licences.RecordPartnerLicenceAsync(document, forward.CaseNumber, cancellationToken);
            if (outcome is not null)
            {
                refused.Add($"证照 {number} 未入库：{outcome}");
            }
        }
        forward.PendingLicences = null;
        forward.Attempts = 0;
        var reasons = string.Join("；", refused);
        forward.LastError = refused.Count == 0 ? null : reasons.Length > 1000 ? reasons[..1000] : reasons;
        await db.SaveChangesAsync(cancellationToken);
        if (refused.Count > 0)
        {
            logger.LogWarning("Case {Number}: licences of city {City} not recorded: {Reasons}", forward.CaseNumber, forward.City, forward.LastError);
        }
        else
        {
            logger.LogInformation("Case {Number}: {Count} licence(s) of city {City} recorded", forward.CaseNumber, numbers.Length, forward.City);
        }
    }

    private Uri BaseUrlOf(string city) =>
        options.Value.Partners.TryGetValue(city, out var partner) && partner.BaseUrl is { } url
            ? url
            : throw new ForwardingFailedException($"未配置{CityName(city)}平台的地址（Exchange:Partners:{city}:BaseUrl），无法转办。");

    private async Task FileAsync(ForwardedApplication forward, Uri baseUrl, CancellationToken cancellationToken)
    {
        // Our callback first, so that no status of the application can find that city without a target.
        var callback = options.Value.CallbackBaseUrl
            ?? throw new ForwardingFailedException("未配置本平台的公开地址（Exchange:CallbackBaseUrl 或 Platform:GatewayUrl），无法登记回调。");
        var registered = await partners.SendAsync(forward.City, baseUrl, HttpMethod.Put, "/api/partner/v1/webhook",
            JsonSerializer.SerializeToUtf8Bytes(new { url = new Uri(callback, CallbackPath).AbsoluteUri }, Json), cancellationToken);
        if (!registered.Succeeded)
        {
            throw new ForwardingFailedException($"在{CityName(forward.City)}登记回调地址失败：{Describe(registered)}");
        }

        var local = await cases.ForwardedAsync(forward.CaseNumber, cancellationToken);
        var matter = await catalog.FindAsync(forward.MatterCode, cancellationToken);
        var remoteCode = matter?.ApprovingCityMatterCode ?? forward.MatterCode;
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            partnerReference = forward.CaseNumber,
            matterCode = remoteCode,
            applicant = new { uscc = local.ApplicantUscc, name = local.ApplicantName },
            form = local.Form,
            materials = local.Materials.Select(Material),
        }, Json);
        var answer = await partners.SendAsync(forward.City, baseUrl, HttpMethod.Post, "/api/partner/v1/applications", body, cancellationToken);
        if (answer.Status is 400 or 403 or 404 or 409 or 413 or 415 or 422)
        {
            // The city will not take it: the applicant is told why, and the case is closed.
            var reason = $"{CityName(forward.City)}未接收该申请：{ProblemText(answer)}";
            await cases.ReportForwardingAsync(forward.CaseNumber, new ForwardingStepReport("refused", "refused", reason), cancellationToken);
            forward.State = ForwardStates.Refused;
            forward.LastError = reason;
            await db.SaveChangesAsync(cancellationToken);
            logger.LogWarning("Case {Number}: city {City} refused the forwarded application ({Status})", forward.CaseNumber, forward.City, answer.Status);
            return;
        }
        if (!answer.Succeeded)
        {
            throw new ForwardingFailedException($"向{CityName(forward.City)}提交申请失败：{Describe(answer)}");
        }
        using var accepted = JsonDocument.Parse(answer.Body);
        var remoteId = accepted.RootElement.GetProperty("id").GetGuid();
        var remoteNumber = accepted.RootElement.GetProperty("number").GetString();
        // The local case learns first: if saving below fails, the next attempt files again (the same reference returns
        // the same application there) and reports again (the same key changes nothing).
        await cases.ReportForwardingAsync(forward.CaseNumber,
            new ForwardingStepReport("forwarded", "forwarded", $"{CityName(forward.City)}办件编号：{remoteNumber}"), cancellationToken);
        forward.State = ForwardStates.Filed;
        forward.RemoteApplicationId = remoteId;
        forward.RemoteNumber = remoteNumber;
        forward.Attempts = 0;
        forward.LastError = null;
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Case {Number} forwarded to city {City} as {Remote}", forward.CaseNumber, forward.City, remoteNumber);
    }

    private async Task ResubmitAsync(ForwardedApplication forward, Uri baseUrl, CancellationToken cancellationToken)
    {
        var local = await cases.ForwardedAsync(forward.CaseNumber, cancellationToken);
        var corrected = local.Materials.Where(m => local.CorrectionMaterials.Contains(m.Code)).Select(Material).ToList();
        var body = JsonSerializer.SerializeToUtf8Bytes(new { materials = corrected, note = "申请人已在受理地补正材料。" }, Json);
        var answer = await partners.SendAsync(forward.City, baseUrl, HttpMethod.Post,
            $"/api/partner/v1/applications/{forward.RemoteApplicationId}/resubmissions", body, cancellationToken);
        if (answer.Status is >= 500 or 0 or 401)
        {
            throw new ForwardingFailedException($"向{CityName(forward.City)}提交补正材料失败：{Describe(answer)}");
        }
        if (!answer.Succeeded)
        {
            // A 409 means the city no longer waits for a correction (an earlier attempt got through); anything else the
            // city refused for good, and retrying would not change its answer.
            logger.LogWarning("Case {Number}: city {City} answered the correction with {Status}: {Problem}",
                forward.CaseNumber, forward.City, answer.Status, ProblemText(answer));
            forward.LastError = answer.Status == 409 ? null : $"{CityName(forward.City)}拒收补正材料：{ProblemText(answer)}";
        }
        forward.ResubmissionPending = false;
        forward.Attempts = 0;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// A status webhook from the city that handles one of our forwarded applications (already authenticated as that
    /// city by the partner middleware). An application that was not forwarded to that city is not found (404): one city
    /// cannot move an application another city handles.
    /// </summary>
    public async Task<ForwardingWebhookResult> ReceiveAsync(string city, StatusWebhook webhook, CancellationToken cancellationToken)
    {
        var forward = await db.Forwards.FirstOrDefaultAsync(f => f.City == city && f.RemoteApplicationId == webhook.ApplicationId, cancellationToken)
            ?? throw new NotFoundException($"没有转交贵市办理的申请 {webhook.ApplicationId}。");
        if (webhook.Sequence <= forward.RemoteSequence)
        {
            return new ForwardingWebhookResult(false, null);
        }
        var key = $"{city}-{webhook.Sequence}";
        string? step = null;
        switch (webhook.Status)
        {
            case "accepted":
                step = "accepted";
                await ReportAsync(forward, new ForwardingStepReport(key, step, null), cancellationToken);
                break;
            case "correction-requested":
            {
                step = "correction-requested";
                var remote = await RemoteAsync(forward, cancellationToken);
                var ask = remote.TryGetProperty("ask", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
                var materials = ask.ValueKind == JsonValueKind.Object && ask.TryGetProperty("materials", out var m) && m.ValueKind == JsonValueKind.Array
                    ? m.EnumerateArray().Select(x => x.GetString() ?? "").Where(x => x.Length > 0).ToList()
                    : [];
                var note = ask.ValueKind == JsonValueKind.Object && ask.TryGetProperty("note", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
                await ReportAsync(forward, new ForwardingStepReport(key, step, note ?? webhook.Detail, materials), cancellationToken);
                break;
            }
            case "approved":
            {
                step = "approved";
                var remote = await RemoteAsync(forward, cancellationToken);
                var results = remote.TryGetProperty("results", out var r) && r.ValueKind == JsonValueKind.Array
                    ? r.Deserialize<List<PartnerResult>>(Json) ?? []
                    : [];
                if (results.Count == 0 && (await catalog.FindAsync(forward.MatterCode, cancellationToken))?.YieldsLicence == true)
                {
                    // The city issues the licence just after the approval: until it is there, the webhook is answered
                    // 503 and the city sends it again (its later statuses wait behind it).
                    throw new DependencyUnavailableException($"{CityName(city)}尚未核发本申请的证照，请稍后重发。");
                }
                await ReportAsync(forward, new ForwardingStepReport(key, step, webhook.Detail,
                    Licences: [.. results.Select(x => new ForwardingLicence(x.LicenceNumber, x.TypeCode, x.ValidFrom, x.ValidUntil))]), cancellationToken);
                if (results.Count > 0)
                {
                    // Recorded by the forwarder, outside this webhook: the case is approved whether or not the
                    // documents can be fetched right now.
                    forward.PendingLicences = string.Join(",", results.Select(x => x.LicenceNumber));
                    forward.NextAttemptAt = clock.GetUtcNow();
                }
                break;
            }
            case "rejected":
                step = "rejected";
                await ReportAsync(forward, new ForwardingStepReport(key, step, webhook.Detail), cancellationToken);
                break;
            default:
                // submitted, resubmitted (our own answer coming back) and completed (approval and rejection close the
                // local case already) change nothing here.
                break;
        }
        forward.RemoteSequence = webhook.Sequence;
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Case {Number}: city {City} reported #{Sequence} {Status}", forward.CaseNumber, city, webhook.Sequence, webhook.Status);
        return new ForwardingWebhookResult(step is not null, step);
    }

    private async Task ReportAsync(ForwardedApplication forward, ForwardingStepReport report, CancellationToken cancellationToken)
    {
        try
        {
            await cases.ReportForwardingAsync(forward.CaseNumber, report, cancellationToken);
        }
        catch (CasesRefusedException refused) when (refused.Status == 409)
        {
            // The local case is closed already (e.g. a completed after a rejection): nothing left to move.
            logger.LogInformation("Case {Number}: step {Step} not recorded ({Reason})", forward.CaseNumber, report.Step, refused.Message);
        }
    }

    private async Task<JsonElement> RemoteAsync(ForwardedApplication forward, CancellationToken cancellationToken)
    {
        var answer = await partners.SendAsync(forward.City, BaseUrlOf(forward.City), HttpMethod.Get,
            $"/api/partner/v1/applications/{forward.RemoteApplicationId}", null, cancellationToken);
        if (!answer.Succeeded)
        {
            throw new DependencyUnavailableException($"暂时无法从{CityName(forward.City)}读取申请 {forward.RemoteNumber}：{Describe(answer)}");
        }
        return JsonDocument.Parse(answer.Body).RootElement.Clone();
    }

    private static object Material(ForwardedCaseMaterial m) =>
        new { code = m.Code, fileName = m.FileName, mediaType = m.ContentType, content = m.Content, sha256 = m.Sha256 };

    private static string CityName(string city) => G60Cities.Find(city)?.Name ?? city;

    private static string Describe(PartnerAnswer answer) =>
        answer.Error ?? $"对方返回 {answer.Status}：{ProblemText(answer)}";

    private static string ProblemText(PartnerAnswer answer)
    {
        try
        {
            using var problem = JsonDocument.Parse(answer.Body);
            var detail = problem.RootElement.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            var title = problem.RootElement.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var errors = problem.RootElement.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object
                ? string.Join("；", e.EnumerateObject().Select(p => $"{p.Name}：{string.Join(" ", p.Value.ValueKind == JsonValueKind.Array ? p.Value.EnumerateArray().Select(v => v.ToString()) : [p.Value.ToString()])}"))
                : null;
            var text = string.Join(" ", new[] { detail ?? title, errors }.Where(x => !string.IsNullOrEmpty(x)));
            return text.Length > 500 ? text[..500] : text;
        }
        catch (JsonException)
        {
            var text = Encoding.UTF8.GetString(answer.Body);
            return text.Length > 200 ? text[..200] : text;
        }
    }
}

/// <summary>A forwarding attempt failed in a way worth retrying later; the message is in Chinese.</summary>
public sealed class ForwardingFailedException(string message) : Exception(message);
