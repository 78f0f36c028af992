namespace Songjiang.Licenses.Api.Verification;

/// <summary>The verdicts a verification can reach.</summary>
public static class VerificationOutcomes
{
    /// <summary>Sealed by a known issuer, unaltered, in force.</summary>
    public const string Valid = "valid";

    /// <summary>The seal does not match the content, or the content is not a licence of that issuer.</summary>
    public const string Invalid = "invalid";

    /// <summary>Authentic but revoked by its issuer.</summary>
    public const string Revoked = "revoked";

    /// <summary>Authentic but suspended by its issuer.</summary>
    public const string Suspended = "suspended";

    /// <summary>Authentic but past its last day of validity.</summary>
    public const string Expired = "expired";

    /// <summary>Sealed with a key of no issuer this platform knows or trusts (now).</summary>
    public const string UnknownIssuer = "unknown-issuer";
}

/// <summary>The answer to "is this licence genuine and in force?", with the reasons.</summary>
/// <param name="Outcome">One of <see cref="VerificationOutcomes"/>.</param>
/// <param name="Reasons">What was checked and what was found, in order.</param>
/// <param name="LicenceNumber">The licence number the document claims.</param>
/// <param name="TypeCode">The licence type the document claims.</param>
/// <param name="HolderName">The holder the document names.</param>
/// <param name="HolderUscc">The holder's credit code.</param>
/// <param name="IssuerCode">The issuer the document names.</param>
/// <param name="IssuerName">The issuer's name as the document gives it.</param>
/// <param name="KeyId">The sealing key.</param>
/// <param name="KeySource"><c>local</c> (our authorities) or <c>trust-list</c> (a G60 partner), when the key is known.</param>
/// <param name="ValidUntil">The last day of validity, if any.</param>
/// <param name="CheckedAt">When the verification ran.</param>
/// <param name="NationalIdentifier">The national identifier (GB/T 36904) of the licence, as stored here or as the document claims.</param>
public sealed record VerificationResult(
    string Outcome,
    IReadOnlyList<string> Reasons,
    string? LicenceNumber,
    string? TypeCode,
    string? HolderName,
    string? HolderUscc,
    string? IssuerCode,
    string? IssuerName,
    string? KeyId,
    string? KeySource,
    string? ValidUntil,
    DateTimeOffset CheckedAt,
    string? NationalIdentifier = null);
