using Songjiang.Enterprises.Api.Domain;
using Songjiang.EventBus;

namespace Songjiang.Enterprises.Api.IntegrationEvents.Events;

/// <summary>
/// An enterprise profile changed: what kind of change, which fields, and the profile as it now stands, so a
/// consumer such as the policy radar keeps its read model without calling back.
/// </summary>
[IntegrationEvent("enterprises.profile-changed.v1")]
public sealed record EnterpriseProfileChangedIntegrationEvent(
    string Uscc,
    string Change,
    IReadOnlyList<string> ChangedFields,
    EnterpriseSnapshot Profile) : IntegrationEvent
{
    /// <summary>The event for a profile after a change.</summary>
    public static EnterpriseProfileChangedIntegrationEvent For(Enterprise enterprise, string change, IEnumerable<string> changedFields) =>
        new(enterprise.Uscc, change, [.. changedFields], EnterpriseSnapshot.Of(enterprise));
}

/// <summary>The matching-relevant facts of a profile.</summary>
public sealed record EnterpriseSnapshot(
    string Name,
    string Location,
    string IndustryCode,
    DateOnly FoundedOn,
    int Employees,
    decimal AnnualRevenue,
    decimal RdSpending,
    SizeClass SizeClass,
    bool IsListed,
    LifecycleStage Stage,
    CreditRating CreditRating,
    IReadOnlyList<QualificationSnapshot> Qualifications)
{
    /// <summary>Takes the snapshot.</summary>
    public static EnterpriseSnapshot Of(Enterprise e) => new(
        e.Name, e.Location, e.IndustryCode, e.FoundedOn, e.Employees, e.AnnualRevenue, e.RdSpending, e.SizeClass, e.IsListed,
        e.Stage, e.CreditRating, [.. e.Qualifications.Select(q => new QualificationSnapshot(q.Kind, q.ValidFrom, q.ValidUntil))]);
}

/// <summary>A held qualification and its validity.</summary>
public sealed record QualificationSnapshot(string Kind, DateOnly ValidFrom, DateOnly ValidUntil);
