using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using Songjiang.ServiceDefaults.Problems;

namespace Songjiang.Exchange.Api.Clients;

/// <summary>A material a matter requires.</summary>
public sealed record CatalogMaterial(string Code, string Name, bool Required, IReadOnlyList<string>? AcceptedLicenceTypes);

/// <summary>A matter as the catalog describes it (the fields the exchange passes on).</summary>
public sealed record CatalogMatter(
    string Code, int Version, string Name, string Department, string DepartmentName, int StatutoryLimitDays, int PromisedLimitDays,
    bool CrossProvince, IReadOnlyList<string> PartnerCities, IReadOnlyList<CatalogMaterial> Materials, JsonElement FormSchema,
    string? ApprovingCity = null, string? ApprovingCityMatterCode = null, JsonElement? Outcome = null)
{
    /// <summary>Whether approving the matter yields a licence (the catalog's outcome declares one).</summary>
    public bool YieldsLicence => Outcome is { ValueKind: JsonValueKind.Object } outcome
        && outcome.TryGetProperty("licence", out var licence) && licence.ValueKind == JsonValueKind.Object;
}

/// <summary>Reads the catalog (public reads); a city's matters are cached for a short while.</summary>
public sealed class CatalogClient(HttpClient http, IMemoryCache cache)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private sealed record Summary(string Code);

    private sealed record SummaryPage(IReadOnlyList<Summary> Items, int Page, int PageSize, int Total);

    /// <summary>The matters open to a partner city (跨省通办), with their schemas and materials.</summary>
    public async Task<IReadOnlyList<CatalogMatter>> MattersForCityAsync(string city, CancellationToken cancellationToken) =>
        (await cache.GetOrCreateAsync("matters:" + city, async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            var codes = new List<string>();
            try
            {
                for (var page = 1; ; page++)
                {
                    var result = await http.GetFromJsonAsync<SummaryPage>($"api/catalog/matters/?city={Uri.EscapeDataString(city)}&page={page}&pageSize=100", cancellationToken)
                        ?? throw new DependencyUnavailableException("事项目录暂时无法访问，请稍后重试。");
                    codes.AddRange(result.Items.Select(i => i.Code));
                    if (page * result.PageSize >= result.Total)
                    {
                        break;
                    }
                }
                var matters = new List<CatalogMatter>();
                foreach (var code in codes)
                {
                    matters.Add(await http.GetFromJsonAsync<CatalogMatter>($"api/catalog/matters/{Uri.EscapeDataString(code)}", cancellationToken)
                        ?? throw new DependencyUnavailableException("事项目录暂时无法访问，请稍后重试。"));
                }
                return (IReadOnlyList<CatalogMatter>)matters;
            }
            catch (Exception exception) when (exception is HttpRequestException or JsonException)
            {
                throw new DependencyUnavailableException("事项目录暂时无法访问，请稍后重试。", exception);
            }
        }))!;

    /// <summary>Checks a form against the matter's schema; returns the failing fields (empty when valid).</summary>
    public async Task<Dictionary<string, string[]>> CheckFormAsync(string code, JsonElement form, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.PostAsJsonAsync($"api/catalog/matters/{Uri.EscapeDataString(code)}/form-check", form, cancellationToken);
            var check = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            if (check.ValueKind != JsonValueKind.Object || !check.TryGetProperty("valid", out var valid))
            {
                throw new DependencyUnavailableException("事项目录暂时无法校验申请表，请稍后重试。");
            }
            return valid.GetBoolean() || !check.TryGetProperty("errors", out var errors)
                ? []
                : errors.EnumerateObject().ToDictionary(p => "form" + p.Name,
                    p => p.Value.EnumerateArray().Select(v => v.GetString() ?? "").ToArray());
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException)
        {
            throw new DependencyUnavailableException("事项目录暂时无法校验申请表，请稍后重试。", exception);
        }
    }

    /// <summary>The matter in force, or null when the catalog has none.</summary>
    public async Task<CatalogMatter?> FindAsync(string code, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync($"api/catalog/matters/{Uri.EscapeDataString(code)}", cancellationToken);
            if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return null;
            }
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync<CatalogMatter>(cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new DependencyUnavailableException("事项目录暂时无法访问，请稍后重试。", exception);
        }
    }

    /// <summary>Whether the catalog has the matter at all (for telling "not open to you" from "no such matter").</summary>
    public async Task<bool> ExistsAsync(string code, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync($"api/catalog/matters/{Uri.EscapeDataString(code)}", cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException exception)
        {
            throw new DependencyUnavailableException("事项目录暂时无法访问，请稍后重试。", exception);
        }
    }
}
