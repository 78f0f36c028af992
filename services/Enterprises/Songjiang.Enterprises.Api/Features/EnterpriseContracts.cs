using Songjiang.Enterprises.Api.Domain;

namespace Songjiang.Enterprises.Api.Features;

/// <summary>Registers an enterprise profile (caseworker of market regulation or admin).</summary>
public sealed record RegisterEnterpriseRequest(
    string? Uscc,
    string? Name,
    string? LegalRepresentative,
    string? RegisteredAddress,
    string? Location,
    string? IndustryCode,
    decimal? RegisteredCapital,
    DateOnly? FoundedOn,
    int? Employees,
    decimal? AnnualRevenue,
    decimal? RdSpending,
    bool? IsListed,
    string? ContactPhone,
    string? ContactEmail);

/// <summary>Changes a profile; a field left out stays as it is.</summary>
public sealed record UpdateEnterpriseRequest(
    string? Name = null,
    string? LegalRepresentative = null,
    string? RegisteredAddress = null,
    string? Location = null,
    string? IndustryCode = null,
    decimal? RegisteredCapital = null,
    DateOnly? FoundedOn = null,
    int? Employees = null,
    decimal? AnnualRevenue = null,
    decimal? RdSpending = null,
    bool? IsListed = null,
    string? ContactPhone = null,
    string? ContactEmail = null);

/// <summary>A profile as callers see it.</summary>
public sealed record EnterpriseView(
    string Uscc,
    string Name,
    string LegalRepresentative,
    string RegisteredAddress,
    string Location,
    string LocationName,
    string IndustryCode,
    decimal RegisteredCapital,
    DateOnly FoundedOn,
    int Employees,
    decimal AnnualRevenue,
    decimal RdSpending,
    decimal? RdRatio,
    SizeClass SizeClass,
    bool IsListed,
    string? ContactPhone,
    string? ContactEmail,
    LifecycleStage Stage,
    CreditRating CreditRating,
    AccountManager? AccountManager,
    IReadOnlyList<QualificationView> Qualifications,
    string Version,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Projects a profile, marking each qualification valid or not today.</summary>
    public static EnterpriseView Of(Enterprise e, DateOnly today) => new(
        e.Uscc, e.Name, e.LegalRepresentative, e.RegisteredAddress, e.Location, Locations.NameOf(e.Location),
        e.IndustryCode, e.RegisteredCapital, e.FoundedOn, e.Employees, e.AnnualRevenue, e.RdSpending, e.RdRatio,
        e.SizeClass, e.IsListed, e.ContactPhone, e.ContactEmail, e.Stage, e.CreditRating, e.AccountManager,
        [.. e.Qualifications.OrderBy(q => q.Kind).Select(q => new QualificationView(q.Id, q.Kind, q.CertificateNumber, q.ValidFrom, q.ValidUntil, q.IsValidOn(today)))],
        e.Version.ToString("N"), e.UpdatedAt);
}

/// <summary>A qualification as callers see it.</summary>
public sealed record QualificationView(Guid Id, string Kind, string CertificateNumber, DateOnly ValidFrom, DateOnly ValidUntil, bool ValidToday)
{
    /// <summary>The kind as people read it.</summary>
    public string KindName => Kind.StartsWith(LifecycleMatters.LicenceQualificationPrefix, StringComparison.Ordinal)
        ? "许可证照"
        : EnterpriseValidation.QualificationName(Kind);
}

/// <summary>A short line of a list.</summary>
public sealed record EnterpriseSummary(string Uscc, string Name, string Location, string IndustryCode, LifecycleStage Stage, CreditRating CreditRating);

/// <summary>Adds a qualification.</summary>
public sealed record AddQualificationRequest(string? Kind, string? CertificateNumber, DateOnly? ValidFrom, DateOnly? ValidUntil);

/// <summary>Adds a credit record.</summary>
public sealed record AddCreditRecordRequest(CreditRecordKind? Kind, string? Reason, string? Reference);

/// <summary>The rating and the records behind it.</summary>
public sealed record CreditView(CreditRating Rating, int Score, bool CommitmentApprovalAllowed, IReadOnlyList<CreditRecord> Records);

/// <summary>Whether commitment-based approval (告知承诺) may be granted, for the cases service.</summary>
public sealed record CommitmentEligibility(string Uscc, bool Eligible, CreditRating Rating, string Reason);

/// <summary>Assigns an account manager (店小二).</summary>
/// <remarks>The manager's name and department are read from the staff directory; <c>name</c> and <c>department</c>, if sent, are ignored.</remarks>
public sealed record AssignAccountManagerRequest(string? UserId, string? Name = null, string? Department = null);
