using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Songjiang.ServiceDefaults.Problems;

namespace Songjiang.Cases.Api.Clients;

/// <summary>A matter as the catalog describes it (only what handling a case needs).</summary>
public sealed record CatalogMatter(
    string Code, int Version, string Name, string Department, int StatutoryLimitDays, int PromisedLimitDays,
    IReadOnlyList<string> HandlingModes, int VisitsRequired, bool CrossProvince, IReadOnlyList<string> PartnerCities,
    bool ParallelReview, IReadOnlyList<string> ReviewDepartments, IReadOnlyList<CatalogMaterial> Materials,
    string WorkflowDefinition, JsonElement? Outcome = null, string? ApprovingCity = null, string? ApprovingCityMatterCode = null)
{
    /// <summary>The other G60 city whose authority approves the matter (收受分离), or null when <paramref name="ownCity"/> approves it.</summary>
    public string? HandledElsewhere(string ownCity) => ApprovingCity is { Length: > 0 } city && city != ownCity ? city : null;

    /// <summary>Whether the matter may be approved on the applicant's commitment (承诺办).</summary>
    public bool AllowsCommitment => HandlingModes.Contains("Commitment", StringComparer.OrdinalIgnoreCase);

    /// <summary>What approving the matter means, as the catalog declares it; null when it declares nothing.</summary>
    public string? OutcomeJson => Outcome is { ValueKind: JsonValueKind.Object } outcome ? outcome.GetRawText() : null;

    /// <summary>The licence type the matter's approval yields, or null.</summary>
    public string? LicenceType => Domain.MatterOutcome.Read(OutcomeJson)?.Licence?.Type;

    /// <summary>Whether approving the matter establishes a new enterprise (设立登记), as the catalog declares it.</summary>
    public bool Establishes => Domain.MatterOutcome.Read(OutcomeJson)?.Registration?.Effect == Domain.RegistrationEffects.Establish;
}

/// <summary>A required or optional material, and the licence types that may stand in for it.</summary>
public sealed record CatalogMaterial(string Code, string Name, bool Required, IReadOnlyList<string> AcceptedLicenceTypes);

/// <summary>A 一件事 bundle.</summary>
public sealed record CatalogBundle(string Code, int Version, string Name, int PromisedLimitDays, IReadOnlyList<CatalogBundleMatter> Matters);

/// <summary>A matter of a bundle.</summary>
public sealed record CatalogBundleMatter(string Code);

/// <summary>The catalog's verdict on a form.</summary>
public sealed record CatalogFormCheck(bool Valid, IReadOnlyDictionary<string, string[]> Errors);

/// <summary>Reads matters and bundles from the catalog service and has it check forms against their schemas.</summary>
public sealed class CatalogClient(HttpClient http)
{
    /// <summary>The matter in force, or null when the catalog has no such matter.</summary>
    public Task<CatalogMatter?> FindMatterAsync(string code, CancellationToken cancellationToken) =>
        GetAsync<CatalogMatter>($"api/catalog/matters/{Uri.EscapeDataString(code)}", cancellationToken);

    /// <summary>The bundle in force, or null.</summary>
    public Task<CatalogBundle?> FindBundleAsync(string code, CancellationToken cancellationToken) =>
        GetAsync<CatalogBundle>($"api/catalog/bundles/{Uri.EscapeDataString(code)}", cancellationToken);

    /// <summary>Checks a form against the matter's or bundle's schema.</summary>
    public async Task<CatalogFormCheck> CheckFormAsync(bool bundle, string code, JsonElement form, CancellationToken cancellationToken)
    {
        var path = $"api/catalog/{(bundle ? "bundles" : "matters")}/{Uri.EscapeDataString(code)}/form-check";
        try
        {
            using var response = await http.PostAsJsonAsync(path, form, cancellationToken);
            // The catalog answers an invalid form with 400 and the same body, naming every failing field.
            if (response.StatusCode != HttpStatusCode.BadRequest)
            {
                response.EnsureSuccessStatusCode();
            }
            return await response.Content.ReadFromJsonAsync<CatalogFormCheck>(cancellationToken)
                ?? throw new DependencyUnavailableException("事项目录暂时无法校验申请表，请稍后重试。");
        }
        catch (HttpRequestException e)
        {
            throw new DependencyUnavailableException("事项目录暂时无法校验申请表，请稍后重试。", e);
        }
    }

    private async Task<T?> GetAsync<T>(string path, CancellationToken cancellationToken) where T : class
    {
        try
        {
            using var response = await http.GetAsync(path, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync<T>(cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new DependencyUnavailableException("事项目录暂时无法访问，请稍后重试。", e);
        }
    }
}
