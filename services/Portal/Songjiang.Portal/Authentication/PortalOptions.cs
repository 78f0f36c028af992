using System.ComponentModel.DataAnnotations;

namespace Songjiang.Portal.Authentication;

/// <summary>Settings of the portal (section <c>Portal</c>).</summary>
public sealed class PortalOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Portal";

    /// <summary>The OAuth client of the portal at the identity service (public; authorization code with PKCE).</summary>
    [Required]
    public string ClientId { get; set; } = "songjiang-portal";

    /// <summary>
    /// The gateway the portal calls the platform's APIs through; by default the token authority's address, which in
    /// this platform is the gateway's public URL.
    /// </summary>
    public string? GatewayUrl { get; set; }

    /// <summary>The OpenID Connect discovery document; by default the authority's, read through the gateway.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>How long a sign-in lasts without use.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);
}
