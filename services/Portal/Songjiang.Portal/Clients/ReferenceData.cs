using Microsoft.Extensions.Caching.Memory;

namespace Songjiang.Portal.Clients;

/// <summary>
/// Public reference lists every replica may hold for a few minutes (the licence types' Chinese names): a page then
/// need not ask for them on every render. Personal data is never cached here.
/// </summary>
public sealed class ReferenceData(IMemoryCache cache)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    /// <summary>Licence type code → Chinese name.</summary>
    public async Task<IReadOnlyDictionary<string, string>> LicenceTypesAsync(PlatformApi api, CancellationToken cancellationToken = default) =>
        await cache.GetOrCreateAsync("licence-types", async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = Lifetime;
            var types = await api.GetPublicAsync<List<LicenceType>>("/api/licenses/public/types", cancellationToken);
            return (IReadOnlyDictionary<string, string>)(types ?? []).ToDictionary(t => t.Code, t => t.Name);
        }) ?? new Dictionary<string, string>();
}
