using System.ComponentModel.DataAnnotations;

namespace Songjiang.ServiceDefaults.Authentication;

/// <summary>
/// Which token authority the service trusts (section <c>Authentication</c>). In the platform this is the identity
/// service; in production it may be the city's unified identity provider.
/// </summary>
public sealed class PlatformAuthenticationOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Authentication";

    /// <summary>The issuer (<c>iss</c>) tokens must carry, e.g. the gateway's public URL.</summary>
    [Required, Url]
    public string Authority { get; set; } = "";

    /// <summary>
    /// Where to read the OpenID configuration and signing keys; defaults to the authority. A logical service
    /// name such as <c>http://identity/.well-known/openid-configuration</c> is resolved by service discovery.
    /// </summary>
    public string? MetadataAddress { get; set; }

    /// <summary>The audience (<c>aud</c>) the platform API tokens carry.</summary>
    [Required]
    public string Audience { get; set; } = "songjiang-api";

    /// <summary>Refuse plain-HTTP metadata; only the embedded loopback profile turns this off.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Tolerated clock difference between the issuer and this service.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}
