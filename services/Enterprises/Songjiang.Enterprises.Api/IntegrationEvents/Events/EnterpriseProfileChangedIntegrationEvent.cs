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

/// <summary>The matching-relevant facts of a profile, and the registered details a licence prints.</summary>
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
    IReadOnlyList<QualificationSnapshot> Qualifications,
    string? LegalRepresentative = null,
    string? RegisteredAddress = null)
{
    /// <summary>Takes the snapshot.</summary>
    public static EnterpriseSnapshot Of(Enterprise e) => new(
        e.Name, e.Location, e.IndustryCode, e.FoundedOn, e.Employees, e.AnnualRevenue, e.RdSpending, e.SizeClass, e.IsListed,
        e.Stage, e.CreditRating, [.. e.Qualifications.Select(q => new QualificationSnapshot(q.Kind, q.ValidFrom, q.ValidUntil))],
        e.LegalRepresentative, e.RegisteredAddress);
}

/// <summary>A held qualification and its validity.</summary>
public sealed record QualificationSnapshot(string Kind, DateOnly ValidFrom, DateOnly ValidUntil);

/// <summary>
/// The register registered an enterprise that an approved establishment (设立登记) asked for, under the unified social
/// credit code the register minted: the cases service shows it on the application, the licences service issues the
/// new enterprise's licences to it.
/// </summary>
/// <param name="Uscc">The code the register assigned.</param>
/// <param name="Name">The enterprise's name.</param>
/// <param name="ApplicationNumber">The establishment application.</param>
/// <param name="LegalRepresentative">The legal representative.</param>
/// <param name="RegisteredAddress">The registered address.</param>
/// <param name="Registrant">The user who filed the establishment and may act for the enterprise.</param>
/// <param name="RegisteredOn">The China calendar day of registration.</param>
[IntegrationEvent("enterprises.enterprise-registered.v1")]
public sealed record EnterpriseRegisteredIntegrationEvent(
    string Uscc, string Name, string ApplicationNumber, string LegalRepresentative, string RegisteredAddress, string? Registrant,
    DateOnly RegisteredOn) : IntegrationEvent;
