using System.Net.Http.Json;
using System.Text.Json;
using Songjiang.ServiceDefaults.Problems;

namespace Songjiang.Exchange.Api.Clients;

/// <summary>The licences service's public verification and issuer keys (no token needed: anyone may verify).</summary>
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
