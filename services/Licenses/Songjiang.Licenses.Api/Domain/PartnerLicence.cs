namespace Songjiang.Licenses.Api.Domain;

/// <summary>
/// A licence another G60 city issued to one of our enterprises (收受分离: an application received here and approved
/// there), kept as its sealed document was received after it verified through the trust list. It is listed with the
/// holder's licences, marked with the issuing city, and proves materials of later applications (减材料, 互认).
/// </summary>
public sealed class PartnerLicence
{
    /// <summary>Row id.</summary>
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>The licence number the document claims, unique.</summary>
    public required string Number { get; init; }

    /// <summary>The licence type code.</summary>
    public required string TypeCode { get; init; }

    /// <summary>The holder's name.</summary>
    public required string HolderName { get; init; }

    /// <summary>The holder's unified social credit code.</summary>
    public required string HolderUscc { get; init; }

    /// <summary>The issuing authority's code.</summary>
    public required string IssuerCode { get; init; }

    /// <summary>The issuing authority's name.</summary>
    public required string IssuerName { get; init; }

    /// <summary>The issuing city's division code.</summary>
    public required string CityCode { get; init; }

    /// <summary>The issuing city's name.</summary>
    public required string CityName { get; init; }

    /// <summary>The sealing key.</summary>
    public required string KeyId { get; init; }

    /// <summary>The national identifier (GB/T 36904), if the document carries one.</summary>
    public string? NationalIdentifier { get; init; }

    /// <summary>First day of validity.</summary>
    public DateOnly ValidFrom { get; init; }

    /// <summary>Last day of validity, or null.</summary>
    public DateOnly? ValidUntil { get; init; }

    /// <summary>The sealed document exactly as received.</summary>
    public required string Document { get; init; }

    /// <summary>The local application it came back on, if any.</summary>
    public string? ApplicationNumber { get; init; }

    /// <summary>When it was recorded here.</summary>
    public DateTimeOffset RecordedAt { get; init; }
}
