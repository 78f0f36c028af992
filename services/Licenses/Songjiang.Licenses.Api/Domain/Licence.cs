namespace Songjiang.Licenses.Api.Domain;

/// <summary>The state of a licence as its status lists publish it.</summary>
public enum LicenceStatus
{
    /// <summary>In force (subject to its validity dates).</summary>
    Active,

    /// <summary>Suspended (暂扣): may be reinstated.</summary>
    Suspended,

    /// <summary>Revoked (吊销/撤销): final.</summary>
    Revoked,
}

/// <summary>An issued electronic licence: the sealed canonical payload plus the mutable status around it.</summary>
public sealed class Licence
{
    /// <summary>Row id.</summary>
    public Guid Id { get; init; }

    /// <summary>The licence number (证照编号), unique.</summary>
    public required string Number { get; init; }

    /// <summary>The licence type code.</summary>
    public required string TypeCode { get; init; }

    /// <summary>
    /// The national identifier (GB/T 36904-2018), e.g. <c>1.2.156.3005.2.11100000000013338W101.11310117002426838Q.20261207K3M9QX2A.001.7</c>;
    /// null only for a licence issued before identifiers existed, until the start-up backfill gives it one.
    /// </summary>
    public string? NationalIdentifier { get; private set; }

    /// <summary>The holder's name.</summary>
    public required string HolderName { get; init; }

    /// <summary>The holder's unified social credit code.</summary>
    public required string HolderUscc { get; init; }

    /// <summary>The issuing authority's code.</summary>
    public required string AuthorityCode { get; init; }

    /// <summary>The date of issue (China Standard Time).</summary>
    public DateOnly IssueDate { get; init; }

    /// <summary>First day of validity.</summary>
    public DateOnly ValidFrom { get; init; }

    /// <summary>Last day of validity; <c>null</c> for long-term licences.</summary>
    public DateOnly? ValidUntil { get; init; }

    /// <summary>The application (办件) the licence was issued for; at most one licence per application.</summary>
    public string? ApplicationId { get; init; }

    /// <summary>The licence's position in the revocation and suspension status lists.</summary>
    public int StatusListIndex { get; init; }

    /// <summary>The current status.</summary>
    public LicenceStatus Status { get; set; }

    /// <summary>Why the status last changed.</summary>
    public string? StatusReason { get; set; }

    /// <summary>When the status last changed.</summary>
    public DateTimeOffset? StatusChangedAt { get; set; }

    /// <summary>The RFC 8785 canonical JSON the seal covers.</summary>
    public required string Payload { get; init; }

    /// <summary>The DER SM2 signature over <see cref="Payload"/>.</summary>
    public required byte[] Signature { get; init; }

    /// <summary>The sealing key's id.</summary>
    public required string KeyId { get; init; }

    /// <summary>The caseworker (subject) or system that issued it.</summary>
    public required string IssuedBy { get; init; }

    /// <summary>When it was issued.</summary>
    public DateTimeOffset IssuedAt { get; init; }

    /// <summary>Optimistic concurrency: two status changes at once cannot both win.</summary>
    public int Version { get; set; }

    /// <summary>
    /// The serial (流水号) of the national identifier: the issue date and the random part of the licence number, unique
    /// because the number is, and derivable again from the licence alone.
    /// </summary>
    public static string SerialOf(string number, DateOnly issueDate) =>
        issueDate.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)
        + string.Concat(number[(number.LastIndexOf('-') + 1)..].Where(char.IsAsciiLetterOrDigit)).ToUpperInvariant();

    /// <summary>The national identifier of the first version of a licence of a type with <paramref name="nationalTypeCode"/>.</summary>
    public static string IdentifierOf(string nationalTypeCode, string authorityCode, string number, DateOnly issueDate) =>
        NationalLicenceIdentifier.Compose(nationalTypeCode, authorityCode, SerialOf(number, issueDate), 1);

    /// <summary>The licence with its national identifier, when its type has a national type code.</summary>
    public Licence WithNationalIdentifier(string? nationalTypeCode)
    {
        if (nationalTypeCode is not null)
        {
            AssignNationalIdentifier(nationalTypeCode);
        }
        return this;
    }

    /// <summary>Gives the licence its national identifier, once; a licence that has one keeps it.</summary>
    /// <returns>Whether it was assigned now.</returns>
    public bool AssignNationalIdentifier(string nationalTypeCode)
    {
        if (NationalIdentifier is not null)
        {
            return false;
        }
        NationalIdentifier = IdentifierOf(nationalTypeCode, AuthorityCode, Number, IssueDate);
        return true;
    }
}

/// <summary>One status change, kept for the record (全程留痕).</summary>
public sealed class LicenceStatusChange
{
    /// <summary>Row id.</summary>
    public Guid Id { get; init; }

    /// <summary>The licence.</summary>
    public Guid LicenceId { get; init; }

    /// <summary>Status before.</summary>
    public LicenceStatus From { get; init; }

    /// <summary>Status after.</summary>
    public LicenceStatus To { get; init; }

    /// <summary>The caseworker's reason.</summary>
    public required string Reason { get; init; }

    /// <summary>Who changed it (subject).</summary>
    public required string ChangedBy { get; init; }

    /// <summary>When.</summary>
    public DateTimeOffset ChangedAt { get; init; }
}
