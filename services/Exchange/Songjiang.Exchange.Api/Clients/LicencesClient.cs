using System.Net.Http.Json;
using System.Text.Json;
using Songjiang.ServiceDefaults.Problems;

namespace Songjiang.Exchange.Api.Clients;

/// <summary>The licences service: public verification and issuer keys, and (with the service account) the partner trust list.</summary>
public sealed class LicencesClient(HttpClient http)
{
    /// <summary>Verifies a licence issued here by its number.</summary>
    public Task<JsonElement> VerifyNumberAsync(string number, CancellationToken cancellationToken) =>
        ReadAsync(() => http.GetAsync($"api/licenses/public/verify/{Uri.EscapeDataString(number)}", cancellationToken), cancellationToken);

    /// <summary>Verifies a sealed document, ours or one sealed by an issuer on the G60 trust list.</summary>
    public Task<JsonElement> VerifyDocumentAsync(JsonElement document, CancellationToken cancellationToken) =>
        ReadAsync(() => http.PostAsJsonAsync("api/licenses/public/verify", document, cancellationToken), cancellationToken);

    /// <summary>Our issuing authorities' public keys.</summary>
    public Task<JsonElement> IssuerKeysAsync(CancellationToken cancellationToken) =>
        ReadAsync(() => http.GetAsync("api/licenses/public/issuer-keys", cancellationToken), cancellationToken);

    /// <summary>Adds a partner city's issuer keys to the trust list (those it knows are kept); returns how many were new.</summary>
    public async Task<int> ImportPartnerIssuersAsync(string city, IReadOnlyList<Trust.PartnerIssuerKey> issuers, CancellationToken cancellationToken)
    {
        using var response = await http.PutAsJsonAsync($"api/licenses/trust-list/cities/{city}", new { issuers }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new DependencyUnavailableException($"电子证照库未接受合作城市 {city} 的签发机构密钥（{(int)response.StatusCode}）。");
        }
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return body.TryGetProperty("added", out var added) ? added.GetInt32() : 0;
    }

    /// <summary>
    /// Records a partner city's sealed licence in the licence library (verified there through the trust list first);
    /// returns null when recorded (or already there), or the library's reason when it refused the document for good.
    /// </summary>
    public async Task<string?> RecordPartnerLicenceAsync(JsonElement document, string applicationNumber, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("api/licenses/partner-licences", new { document, applicationNumber }, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return null;
        }
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if ((int)response.StatusCode is 400 or 409 or 422)
        {
            return text.Length > 500 ? text[..500] : text;
        }
        throw new DependencyUnavailableException($"电子证照库暂时无法登记合作城市证照（{(int)response.StatusCode}）。");
    }

    /// <summary>A licence issued here, with its sealed document, as the platform service reads it; null when there is none.</summary>
    public async Task<JsonElement?> LicenceAsync(string number, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync($"api/licenses/{Uri.EscapeDataString(number)}", cancellationToken);
            if (response.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.BadRequest)
            {
                return null;
            }
            if (!response.IsSuccessStatusCode)
            {
                throw new DependencyUnavailableException("电子证照库暂时无法访问，请稍后重试。");
            }
            return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException)
        {
            throw new DependencyUnavailableException("电子证照库暂时无法访问，请稍后重试。", exception);
        }
    }

    private static async Task<JsonElement> ReadAsync(Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await send();
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            if ((int)response.StatusCode == 400)
            {
                var errors = body.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object
                    ? e.EnumerateObject().ToDictionary(p => "document." + p.Name, p => p.Value.EnumerateArray().Select(v => v.GetString() ?? "").ToArray())
                    : new Dictionary<string, string[]> { ["document"] = ["电子证照文档格式不正确。"] };
                throw new ValidationFailedException(errors);
            }
            if ((int)response.StatusCode == 404)
            {
                throw new NotFoundException("本平台没有签发该编号的电子证照；他市签发的证照请提交盖章的证照文档（document）核验。");
            }
            if (!response.IsSuccessStatusCode)
            {
                throw new DependencyUnavailableException("电子证照库暂时无法访问，请稍后重试。");
            }
            return body;
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException)
        {
            throw new DependencyUnavailableException("电子证照库暂时无法访问，请稍后重试。", exception);
        }
    }
}
