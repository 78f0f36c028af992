using Microsoft.Extensions.Options;
using Songjiang.Exchange.Api.Extensions;
using Songjiang.SharedKernel;

namespace Songjiang.Exchange.Api.Partners;

/// <summary>A partner city's key as the exchange checks it.</summary>
public sealed record PartnerKey(string City, string KeyId, string Secret, bool Active);

/// <summary>
/// The partner cities' signing keys: those in configuration (<c>Exchange:Partners:&lt;city&gt;:Keys</c>), plus — in the
/// embedded demo profile only (<c>Identity:DemoProfile</c>) — the published demo keys <c>demo-1</c> /
/// <c>demo-g60-&lt;city&gt;-signing-key</c> for the G60 cities this instance does not serve. Turning the demo profile
/// off removes the demo keys.
/// </summary>
public sealed class PartnerKeyRing
{
    /// <summary>The demo key id.</summary>
    public const string DemoKeyId = "demo-1";

    private readonly Dictionary<(string City, string KeyId), PartnerKey> _keys = [];

    /// <summary>Builds the ring.</summary>
    public PartnerKeyRing(IOptions<ExchangeOptions> options, IConfiguration configuration)
    {
        var settings = options.Value;
        DemoProfile = configuration.GetValue<bool>("Identity:DemoProfile");
        if (DemoProfile)
        {
            foreach (var city in G60Cities.All.Where(c => c.Code != settings.CityCode))
            {
                _keys[(city.Code, DemoKeyId)] = new PartnerKey(city.Code, DemoKeyId, DemoSecret(city.Code), true);
            }
        }
        foreach (var (city, partner) in settings.Partners)
        {
            foreach (var key in partner.Keys.Where(k => k.KeyId.Length > 0 && k.Secret.Length > 0))
            {
                _keys[(city, key.KeyId)] = new PartnerKey(city, key.KeyId, key.Secret, !string.Equals(key.Status, "retired", StringComparison.OrdinalIgnoreCase));
            }
        }
        var crowded = _keys.Values.Where(k => k.Active).GroupBy(k => k.City).FirstOrDefault(g => g.Count() > 2);
        if (crowded is not null)
        {
            throw new InvalidOperationException($"City {crowded.Key} has {crowded.Count()} active keys; at most two may be active while a key rotates.");
        }

        var own = settings.OwnKey;
        OwnKey = own.KeyId.Length > 0 && own.Secret.Length > 0
            ? new PartnerKey(settings.CityCode, own.KeyId, own.Secret, true)
            : DemoProfile ? new PartnerKey(settings.CityCode, DemoKeyId, DemoSecret(settings.CityCode), true) : null;
    }

    /// <summary>Whether the demo keys are in.</summary>
    public bool DemoProfile { get; }

    /// <summary>This platform's outbound key, if it has one.</summary>
    public PartnerKey? OwnKey { get; }

    /// <summary>The published demo secret of a city.</summary>
    public static string DemoSecret(string city) => $"demo-g60-{city}-signing-key";

    /// <summary>Whether the city has any key at all (a known partner).</summary>
    public bool IsPartner(string city) => _keys.Keys.Any(k => k.City == city);

    /// <summary>The active key, or null for an unknown city, an unknown key or a retired key.</summary>
    public PartnerKey? ActiveKey(string city, string keyId) =>
        _keys.TryGetValue((city, keyId), out var key) && key.Active ? key : null;
}
