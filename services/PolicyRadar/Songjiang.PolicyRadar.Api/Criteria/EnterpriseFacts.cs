namespace Songjiang.PolicyRadar.Api.Criteria;

/// <summary>What the radar knows about an enterprise: the facts policy criteria speak about.</summary>
public sealed record EnterpriseFacts(
    string Uscc,
    string Location,
    string IndustryCode,
    DateOnly FoundedOn,
    int Employees,
    decimal AnnualRevenue,
    decimal RdSpending,
    string SizeClass,
    bool IsListed,
    string Stage,
    string CreditRating,
    IReadOnlyList<HeldQualification> Qualifications)
{
    /// <summary>R&amp;D spending as a share of revenue; 0 without revenue.</summary>
    public decimal RdRatio => AnnualRevenue > 0 ? RdSpending / AnnualRevenue : 0;

    /// <summary>Whole years since founding on a date.</summary>
    public int YearsSinceFounding(DateOnly on)
    {
        var years = on.Year - FoundedOn.Year;
        return on < FoundedOn.AddYears(years) ? years - 1 : years;
    }
}

/// <summary>A qualification with its validity.</summary>
public sealed record HeldQualification(string Kind, DateOnly ValidFrom, DateOnly ValidUntil)
{
    /// <summary>Whether it is valid on a date.</summary>
    public bool IsValidOn(DateOnly date) => date >= ValidFrom && date <= ValidUntil;
}
