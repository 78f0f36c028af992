using Microsoft.Extensions.Caching.Memory;
using System.Net;
using System.Net.Http.Json;

namespace Songjiang.Enterprises.Api.Clients;

/// <summary>Reads matter and bundle names from the catalog service (by logical name), cached for a few minutes.</summary>
public sealed class CatalogClient(HttpClient http, IMemoryCache cache, ILogger<CatalogClient> logger)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(5);

    /// <summary>The catalog entry, null when the catalog has none, or throws when the catalog cannot be reached.</summary>
    public async Task<CatalogEntry?> FindAsync(string kind, string code, CancellationToken cancellationToken)
    {
        var key = $"catalog:{kind}:{code}";
        if (cache.TryGetValue(key, out CatalogEntry? cached))
        {
            return cached;
        }
        var path = kind == "bundle" ? $"/api/catalog/bundles/{code}" : $"/api/catalog/matters/{code}";
        using var response = await http.GetAsync(path, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            logger.LogWarning("Recommendation names {Kind} {Code}, which the catalog does not have", kind, code);
            return cache.Set<CatalogEntry?>(key, null, CacheFor);
        }
        response.EnsureSuccessStatusCode();
        var entry = await response.Content.ReadFromJsonAsync<CatalogEntry>(cancellationToken);
        return cache.Set(key, entry, CacheFor);
    }
}

/// <summary>What the enterprise sees of a catalog entry, and what approving a matter yields as the catalog declares it.</summary>
public sealed record CatalogEntry(string Code, string Name, string? Department, string? DepartmentName, int PromisedLimitDays, CatalogOutcome? Outcome = null);

/// <summary>A matter's declared outcome: only the licence type is read here.</summary>
public sealed record CatalogOutcome(CatalogLicenceOutcome? Licence);

/// <summary>The licence a matter's approval yields.</summary>
public sealed record CatalogLicenceOutcome(string? Type);
