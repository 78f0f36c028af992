using System.ComponentModel.DataAnnotations;

namespace Songjiang.Exchange.Api.Extensions;

/// <summary>The exchange's settings (section <c>Exchange</c>).</summary>
public sealed class ExchangeOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Exchange";

    /// <summary>The city this instance serves (GB/T 2260 code).</summary>
    [Required, RegularExpression("^[0-9]{6}$")]
    public string CityCode { get; set; } = "310117";

    /// <summary>This platform's own outbound signing key, for webhooks and calls to partners.</summary>
    public SigningKeyOptions OwnKey { get; set; } = new();

    /// <summary>Partner cities by division code: their keys, and the base URL of their platform.</summary>
    public Dictionary<string, PartnerOptions> Partners { get; set; } = [];

    /// <summary>How far a request's timestamp may be from the server's clock (the contract says 300 s).</summary>
    public TimeSpan TimestampWindow { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>The largest partner request body (materials are Base64, so about 4/3 of the 10 MiB of content).</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 14 * 1024 * 1024 + 512 * 1024;

    /// <summary>The most material content one application may carry, decoded (the contract says 10 MiB).</summary>
    public long MaxMaterialBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Allows webhook targets on loopback and private networks (tests and two instances on one machine only).</summary>
    public bool AllowPrivateWebhookTargets { get; set; }

    /// <summary>The platform's SM2 key for sealing the log heads and the issuers document, as PKCS#8 PEM; empty = kept in the database.</summary>
    public string? PlatformKeyPem { get; set; }

    /// <summary>Webhook delivery: first retry delay, doubled each attempt up to <see cref="WebhookMaxDelay"/>.</summary>
    public TimeSpan WebhookFirstDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan WebhookMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a delivery is retried before it is dead-lettered (at least 24 hours in production).</summary>
    public TimeSpan WebhookRetryFor { get; set; } = TimeSpan.FromHours(25);

    /// <summary>How often the partners' sealed issuers documents are fetched into the licences trust list (0 = only on demand).</summary>
    public TimeSpan TrustSyncInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// This platform's public base URL (the gateway), for the callback registered at a city an application is forwarded
    /// to; defaults to <c>Platform:GatewayUrl</c>.
    /// </summary>
    public Uri? CallbackBaseUrl { get; set; }

    /// <summary>How often the webhook sender looks for due deliveries.</summary>
    public TimeSpan WebhookPollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>A signing key.</summary>
public sealed class SigningKeyOptions
{
    /// <summary>The key id sent in <c>X-G60-Key-Id</c>.</summary>
    public string KeyId { get; set; } = "";

    /// <summary>The shared secret; from a secret store in production.</summary>
    public string Secret { get; set; } = "";

    /// <summary><c>active</c> or <c>retired</c>; a retired key is refused.</summary>
    public string Status { get; set; } = "active";
}

/// <summary>A partner city.</summary>
public sealed class PartnerOptions
{
    /// <summary>Its keys: at most two active at once, while it rotates.</summary>
    public List<SigningKeyOptions> Keys { get; set; } = [];

    /// <summary>The base URL of its platform's partner API (for forwarding), if it runs one.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>
    /// The key id (<c>sm2-…</c>) of its platform's SM2 key, agreed out of band when onboarding: its sealed issuers
    /// document is trusted only when sealed with this key.
    /// </summary>
    public string? PlatformKeyId { get; set; }
}
