using Songjiang.PolicyRadar.Api.Criteria;

namespace Songjiang.PolicyRadar.Api.Domain;

/// <summary>
/// The radar's read model of an enterprise profile, kept from the enterprise service's events and its initial
/// sync. The enterprise service owns the data; this copy holds only what criteria test.
/// </summary>
public sealed class EnterpriseProfile
{
    /// <summary>Unified social credit code.</summary>
    public required string Uscc { get; init; }

    /// <summary>Registered name.</summary>
    public required string Name { get; set; }

    /// <summary>Subdistrict or town code, or a G60 city's division code.</summary>
    public required string Location { get; set; }

    /// <summary>GB/T 4754 industry code.</summary>
    public required string IndustryCode { get; set; }

    /// <summary>Founding date.</summary>
    public DateOnly FoundedOn { get; set; }

    /// <summary>Employees.</summary>
    public int Employees { get; set; }

    /// <summary>Annual revenue in 万元.</summary>
    public decimal AnnualRevenue { get; set; }

    /// <summary>R&amp;D spending in 万元.</summary>
    public decimal RdSpending { get; set; }

    /// <summary>Large, Medium, Small or Micro.</summary>
    public required string SizeClass { get; set; }

    /// <summary>Listed.</summary>
    public bool IsListed { get; set; }

    /// <summary>Lifecycle stage.</summary>
    public required string Stage { get; set; }

    /// <summary>Credit rating A–D.</summary>
    public required string CreditRating { get; set; }

    /// <summary>Qualifications with validity.</summary>
    public List<HeldQualification> Qualifications { get; set; } = [];

    /// <summary>
    /// When the enterprise service's copy was as shown here (its event's time, or the feed's <c>updatedAt</c>); an
    /// older copy arriving later is ignored.
    /// </summary>
    public DateTimeOffset AsOf { get; set; }

    /// <summary>When this row last changed here (replicas poll on it).</summary>
    public DateTimeOffset SyncedAt { get; set; }

    /// <summary>The facts criteria test.</summary>
    public EnterpriseFacts ToFacts() => new(
        Uscc, Location, IndustryCode, FoundedOn, Employees, AnnualRevenue, RdSpending, SizeClass, IsListed, Stage, CreditRating,
        [.. Qualifications]);
}
