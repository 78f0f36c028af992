namespace Songjiang.Licenses.Api.Domain;

/// <summary>
/// The registered details of an enterprise a licence may print, kept from the enterprise register's events
/// (<c>enterprises.profile-changed.v1</c>, <c>enterprises.enterprise-registered.v1</c>) and its read-model feed, so
/// issuing never calls the register inside a transaction.
/// </summary>
public sealed class HolderProfile
{
    /// <summary>The enterprise's unified social credit code.</summary>
    public required string Uscc { get; init; }

    /// <summary>Its name.</summary>
    public string? Name { get; set; }

    /// <summary>Its legal representative.</summary>
    public string? LegalRepresentative { get; set; }

    /// <summary>Its registered address.</summary>
    public string? RegisteredAddress { get; set; }

    /// <summary>The establishment application the register registered it on, when it was registered here.</summary>
    public string? RegisteredOnApplication { get; set; }

    /// <summary>When the register last changed it.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>A registered detail by its name in a matter's outcome.</summary>
    public string? Detail(string name) => name switch
    {
        "name" => Name,
        "legalRepresentative" => LegalRepresentative,
        "registeredAddress" => RegisteredAddress,
        _ => null,
    };
}

/// <summary>
/// An approval whose licence waits for the holder's registered details: the registration of the enterprise it
/// establishes, or the profile of an enterprise the register has not yet told us about.
/// </summary>
public sealed class PendingIssue
{
    /// <summary>The application number (the licence's idempotency key).</summary>
    public required string ApplicationNumber { get; init; }

    /// <summary>The holder awaited; null while the holder is the enterprise this application establishes.</summary>
    public string? HolderUscc { get; set; }

    /// <summary>The approval as received (JSON of <c>cases.application-approved.v2</c>).</summary>
    public required string Approval { get; init; }

    /// <summary>When it was parked.</summary>
    public DateTimeOffset ParkedAt { get; init; }

    /// <summary>Why issuing failed once the holder was known, if it did; a failed issue is not retried.</summary>
    public string? Problem { get; set; }
}

/// <summary>The initial read of the register's feed: where it stands, so a restart resumes.</summary>
public sealed class RegisterSyncState
{
    /// <summary>The single row's id.</summary>
    public int Id { get; init; } = 1;

    /// <summary>The last USCC read.</summary>
    public string? Cursor { get; set; }

    /// <summary>Whether the whole feed has been read.</summary>
    public bool Completed { get; set; }
}
