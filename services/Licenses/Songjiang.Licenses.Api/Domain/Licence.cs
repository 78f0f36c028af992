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
