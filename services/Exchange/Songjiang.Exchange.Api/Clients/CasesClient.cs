using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Songjiang.ServiceDefaults.Problems;

namespace Songjiang.Exchange.Api.Clients;

/// <summary>An application as the cases service shows it (the fields the exchange passes on).</summary>
public sealed record CaseApplication(CaseSummary Summary, string? Reason, IReadOnlyList<string>? CorrectionMaterials, CaseAsk? Ask, IReadOnlyList<CaseResult>? Results);

/// <summary>The summary part.</summary>
public sealed record CaseSummary(string Number, string? MatterCode, string Name, string Department, string Status, string? Outcome,
    DateTimeOffset SubmittedAt, DateTimeOffset? CompletedAt, DateTimeOffset? StatutoryDueAt);

/// <summary>What the applicant is asked to do.</summary>
public sealed record CaseAsk(string Action, IReadOnlyList<string> Materials, string? Note, DateTimeOffset? DueAt, string Application);

/// <summary>A licence issued on the application.</summary>
public sealed record CaseResult(string LicenceNumber, string TypeCode, DateOnly ValidFrom, DateOnly? ValidUntil);

/// <summary>A timeline entry.</summary>
public sealed record CaseTimelineEntry(DateTimeOffset At, string Application, string Event, string? Step, string? By, string? Detail);

/// <summary>An application another city handles, as the cases service gives it to the exchange.</summary>
public sealed record ForwardedCase(
    string Number, string? MatterCode, string HandledByCity, string ApplicantUscc, string ApplicantName, JsonElement Form, string Status,
    IReadOnlyList<string> CorrectionMaterials, IReadOnlyList<ForwardedCaseMaterial> Materials);

/// <summary>A material with its content (Base64).</summary>
public sealed record ForwardedCaseMaterial(string Code, string Name, string FileName, string ContentType, string Sha256, string Content);

/// <summary>A step of the other city, for the local case.</summary>
public sealed record ForwardingStepReport(string Key, string Step, string? Detail, IReadOnlyList<string>? Materials = null, IReadOnlyList<ForwardingLicence>? Licences = null);

/// <summary>A licence the other city issued on the application.</summary>
public sealed record ForwardingLicence(string Number, string TypeCode, DateOnly ValidFrom, DateOnly? ValidUntil);

/// <summary>A refusal by the cases service, passed on to the partner with its status and field errors.</summary>
public sealed class CasesRefusedException(int status, string detail, IDictionary<string, string[]>? errors) : Exception(detail)
{
    /// <summary>The status the cases service answered.</summary>
    public int Status { get; } = status;

    /// <summary>Field errors, when it named fields.</summary>
    public IDictionary<string, string[]>? Errors { get; } = errors;
}

/// <summary>
/// The cases service, called as the platform service account: the exchange is the backend that files, reads and
/// resubmits applications for partner cities (channel <c>partner-city</c>, the city recorded on the case).
/// </summary>
public sealed class CasesClient(HttpClient http)
{
    /// <summary>Uploads one material; returns its upload id.</summary>
    public async Task<Guid> UploadAsync(string fileName, string mediaType, byte[] content, CancellationToken cancellationToken)
    {
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var form = new MultipartFormDataContent { { file, "file", fileName } };
        using var response = await SendAsync(() => http.PostAsync("api/cases/uploads", form, cancellationToken));
        await EnsureAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetGuid();
    }

    /// <summary>Files the application; a repeated key returns the application it created.</summary>
    public async Task<CaseApplication> SubmitAsync(object request, string idempotencyKey, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "api/cases/applications") { Content = JsonContent.Create(request) };
        message.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await SendAsync(() => http.SendAsync(message, cancellationToken));
        await EnsureAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<CaseApplication>(cancellationToken))!;
    }

    /// <summary>An application.</summary>
    public async Task<CaseApplication> GetAsync(string number, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => http.GetAsync($"api/cases/applications/{Uri.EscapeDataString(number)}", cancellationToken));
        await EnsureAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<CaseApplication>(cancellationToken))!;
    }

    /// <summary>Its timeline.</summary>
    public async Task<IReadOnlyList<CaseTimelineEntry>> TimelineAsync(string number, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => http.GetAsync($"api/cases/applications/{Uri.EscapeDataString(number)}/timeline", cancellationToken));
        await EnsureAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<List<CaseTimelineEntry>>(cancellationToken))!;
    }

    /// <summary>Answers a correction request (补正).</summary>
    public async Task<CaseApplication> ResubmitAsync(string number, Dictionary<string, Guid> materials, string? note, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => http.PostAsJsonAsync($"api/cases/applications/{Uri.EscapeDataString(number)}/resubmit",
            new { materials, note }, cancellationToken));
        await EnsureAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<CaseApplication>(cancellationToken))!;
    }

    /// <summary>An application another city handles, with its materials' content.</summary>
    public async Task<ForwardedCase> ForwardedAsync(string number, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => http.GetAsync($"api/cases/forwarding/{Uri.EscapeDataString(number)}", cancellationToken));
        await EnsureAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<ForwardedCase>(cancellationToken))!;
    }

    /// <summary>Records a step the other city took on it; a repeated key changes nothing.</summary>
    public async Task ReportForwardingAsync(string number, ForwardingStepReport report, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => http.PostAsJsonAsync($"api/cases/forwarding/{Uri.EscapeDataString(number)}/steps", report, cancellationToken));
        await EnsureAsync(response, cancellationToken);
    }

    private static async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            return await send();
        }
        catch (HttpRequestException exception)
        {
            throw new DependencyUnavailableException("办件系统暂时无法访问，请稍后重试；本次请求未产生任何记录。", exception);
        }
    }

    private static async Task EnsureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var status = (int)response.StatusCode;
        if (status is >= 400 and < 500 && response.StatusCode != HttpStatusCode.Unauthorized)
        {
            string detail = "办件系统拒绝了该请求。";
            Dictionary<string, string[]>? errors = null;
            try
            {
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                if (problem.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String)
                {
                    detail = d.GetString()!;
                }
                if (problem.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object)
                {
                    errors = e.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Array
                        ? p.Value.EnumerateArray().Select(v => v.GetString() ?? "").ToArray()
                        : [p.Value.ToString()]);
                }
            }
            catch (JsonException)
            {
            }
            throw new CasesRefusedException(status, detail, errors);
        }
        throw new DependencyUnavailableException($"办件系统暂时无法处理该请求（{status}），请稍后重试。");
    }
}
