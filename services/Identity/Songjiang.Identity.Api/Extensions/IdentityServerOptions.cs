using System.ComponentModel.DataAnnotations;

namespace Songjiang.Identity.Api.Extensions;

/// <summary>Settings of the token service (section <c>Identity</c>).</summary>
public sealed class IdentityServerOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Identity";

    /// <summary>The issuer URL put in every token: the public address of the gateway.</summary>
    [Required, Url]
    public string Issuer { get; set; } = "";

    /// <summary>
    /// The embedded demo profile: seeds the demo accounts and clients and allows the resource-owner password grant
    /// for scripts and tests. Never on in production.
    /// </summary>
    public bool DemoProfile { get; set; }

    /// <summary>Refuse plain HTTP; off only on loopback behind the embedded gateway.</summary>
    public bool RequireHttps { get; set; } = true;

    /// <summary>Lifetime of access tokens.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The former folder of the signing and encryption keys: keys found there are taken over into the database once
    /// (tokens they signed stay valid); new keys are made in the database, never here.
    /// </summary>
    public string? KeysDirectory { get; set; }

    /// <summary>Clients provisioned from configuration (production partner cities and services), upserted at start.</summary>
    public List<ClientDefinition> Clients { get; set; } = [];
}

/// <summary>An OAuth client as configured or seeded.</summary>
public sealed class ClientDefinition
{
    /// <summary>The client id.</summary>
    [Required]
    public string ClientId { get; set; } = "";

    /// <summary>A readable name.</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>The secret of a confidential client; none for a public client.</summary>
    public string? Secret { get; set; }

    /// <summary>Grant types: client_credentials, authorization_code, password, refresh_token.</summary>
    public List<string> GrantTypes { get; set; } = [];

    /// <summary>Scopes the client may ask for.</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>Redirect URIs of an authorization-code client.</summary>
    public List<string> RedirectUris { get; set; } = [];

    /// <summary>Where a signed-out user of an authorization-code client is sent.</summary>
    public List<string> PostLogoutRedirectUris { get; set; } = [];

    /// <summary>Roles the client holds when it acts on its own behalf (client_credentials).</summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>The GB/T 2260 code of the partner city the client belongs to.</summary>
    public string? CityCode { get; set; }
}
