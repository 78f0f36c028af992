namespace Songjiang.Enterprises.Api.Domain;

/// <summary>
/// The register's own sequence of unified social credit codes per division: the next serial to assign. Only the
/// enterprise register mints codes (GB 32100), so two registrations never receive the same one.
/// </summary>
public sealed class RegisterSequence
{
    /// <summary>The six-digit division code the codes are minted in.</summary>
    public required string Division { get; init; }

    /// <summary>The next serial.</summary>
    public long Next { get; set; }
}
