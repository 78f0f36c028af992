using System.Net;
using System.Net.Http.Json;
using Songjiang.ServiceDefaults.Problems;

namespace Songjiang.Cases.Api.Clients;

/// <summary>The enterprise service's answer on commitment-based approval (告知承诺).</summary>
public sealed record CommitmentEligibility(string Uscc, bool Eligible, string Rating, string Reason);

/// <summary>Asks the enterprise service, as the platform service account, about an enterprise's credit.</summary>
public sealed class EnterprisesClient(HttpClient http)
{
    /// <summary>Whether the enterprise may be approved on its commitment; null when the service does not know it.</summary>
    public async Task<CommitmentEligibility?> CommitmentEligibilityAsync(string uscc, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(
                $"api/enterprises/{Uri.EscapeDataString(uscc)}/credit/commitment-eligibility", cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync<CommitmentEligibility>(cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException)
        {
            throw new DependencyUnavailableException(
                "暂时无法核查企业信用，不能按告知承诺办理；请稍后重试，或提交全部材料申请。", e);
        }
    }
}
