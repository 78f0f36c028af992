namespace Songjiang.Licenses.Api.Extensions;

/// <summary>Where the sealing keys come from.</summary>
public enum SealKeyMode
{
    /// <summary>Generated on first start, stored in the database encrypted with Data Protection (embedded profile).</summary>
    Embedded,

    /// <summary>Loaded from PEM files under <see cref="LicensesOptions.KeysDirectory"/> (production).</summary>
    PemFiles,
}

/// <summary>Settings of the licences service (section <c>Licenses</c>).</summary>
public sealed class LicensesOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Licenses";

    /// <summary>The public address verifiers reach (the gateway); defaults to <c>Authentication:Authority</c>.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Where sealing keys come from.</summary>
    public SealKeyMode KeyMode { get; set; } = SealKeyMode.Embedded;

    /// <summary>
    /// PEM mode: a folder per authority code holding PKCS#8 private keys (<c>PRIVATE KEY</c>) and, for retired keys,
    /// public keys (<c>PUBLIC KEY</c>). Embedded mode: where the Data Protection keys live (default
    /// <c>{Database:DataDirectory}/licenses-keys</c>).
    /// </summary>
    public string? KeysDirectory { get; set; }

    /// <summary>PEM mode: the active key id per authority code, when a folder holds several private keys.</summary>
    public Dictionary<string, string> ActiveKeys { get; set; } = [];

    /// <summary>Entries per status list: 131,072 bits (16 KB), the W3C minimum for herd privacy.</summary>
    public int StatusListSize { get; set; } = 131_072;

    /// <summary>How long verifiers may cache a status list.</summary>
    public TimeSpan StatusListMaxAge { get; set; } = TimeSpan.FromMinutes(5);
}
