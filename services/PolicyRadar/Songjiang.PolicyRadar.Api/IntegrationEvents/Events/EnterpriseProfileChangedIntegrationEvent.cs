using Songjiang.EventBus;

namespace Songjiang.PolicyRadar.Api.IntegrationEvents.Events;

// The radar's copy of the enterprise service's event (docs/enterprises.md); the enterprise service owns the
// contract. Only the fields the read model needs are named, so the publisher may add fields freely. Events and the
// sync feed carry enums by name, so these enums need the publisher's names, not its order (a contract test checks).

/// <summary>An enterprise profile changed; <see cref="Profile"/> is the profile as it now stands.</summary>
[IntegrationEvent("enterprises.profile-changed.v1")]
public sealed record EnterpriseProfileChangedIntegrationEvent(
    string Uscc,
    string Change,
    IReadOnlyList<string> ChangedFields,
    EnterpriseProfileData Profile) : IntegrationEvent;

/// <summary>The matching-relevant facts of a profile.</summary>
public sealed record EnterpriseProfileData(
    string Name,
    string Location,
    string IndustryCode,
    DateOnly FoundedOn,
    int Employees,
    decimal AnnualRevenue,
    decimal RdSpending,
    EnterpriseSizeClass SizeClass,
    bool IsListed,
    EnterpriseStage Stage,
    EnterpriseCreditRating CreditRating,
    IReadOnlyList<EnterpriseQualificationData> Qualifications);

/// <summary>A held qualification and its validity.</summary>
public sealed record EnterpriseQualificationData(string Kind, DateOnly ValidFrom, DateOnly ValidUntil);

/// <summary>大型、中型、小型、微型 as the enterprise service declares them.</summary>
public enum EnterpriseSizeClass
{
    /// <summary>微型.</summary>
    Micro,

    /// <summary>小型.</summary>
    Small,

    /// <summary>中型.</summary>
    Medium,

    /// <summary>大型.</summary>
    Large,
}

/// <summary>Lifecycle stages as the enterprise service declares them.</summary>
public enum EnterpriseStage
{
    /// <summary>设立.</summary>
    Establishing,

    /// <summary>运营.</summary>
    Operating,

    /// <summary>变更.</summary>
    Changing,

    /// <summary>注销中.</summary>
    Deregistering,

    /// <summary>已注销.</summary>
    Deregistered,
}

/// <summary>Credit ratings as the enterprise service declares them.</summary>
public enum EnterpriseCreditRating
{
    /// <summary>守信.</summary>
    A,

    /// <summary>基本守信.</summary>
    B,

    /// <summary>失信风险.</summary>
    C,

    /// <summary>严重失信.</summary>
    D,
}
