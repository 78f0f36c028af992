using System.Net.Http.Json;
using Songjiang.ServiceDefaults.Problems;

namespace Songjiang.Cases.Api.Clients;

/// <summary>A licence as the licences service lists it.</summary>
public sealed record HeldLicence(string Number, string TypeCode, string HolderUscc, DateOnly ValidFrom, DateOnly? ValidUntil, string Status);

/// <summary>Asks the licences service, as the platform service account, which licences an enterprise holds.</summary>
public sealed class LicencesClient(HttpClient http)
{
    private sealed record LicencePage(IReadOnlyList<HeldLicence> Items, int Page, int PageSize, int Total);

    /// <summary>The licences of <paramref name="uscc"/> that are active and within their validity on <paramref name="on"/>.</summary>
    public async Task<IReadOnlyList<HeldLicence>> ValidLicencesAsync(string uscc, DateOnly on, CancellationToken cancellationToken)
    {
        var licences = new List<HeldLicence>();
        try
        {
            for (var page = 1; ; page++)
            {
                var result = await http.GetFromJsonAsync<LicencePage>(
                    $"api/licenses?holder={Uri.EscapeDataString(uscc)}&status=active&page={page}&pageSize=100", cancellationToken);
                if (result is null)
                {
                    break;
                }
                licences.AddRange(result.Items);
                if (page * result.PageSize >= result.Total)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException)
        {
            throw new DependencyUnavailableException(
                "电子证照库暂时无法访问，请稍后重试，或直接上传材料。", e);
        }
        return [.. licences.Where(l => l.ValidFrom <= on && (l.ValidUntil is null || l.ValidUntil >= on))];
    }
}
