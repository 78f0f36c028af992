using Songjiang.EventBus;

namespace Songjiang.Licenses.Api.IntegrationEvents.Events;

// The licences service owns these contracts; consumers (enterprises, cases) keep their own copies of the fields
// they need, so fields may be added here without breaking them.

/// <summary>
/// A licence was issued and sealed. Superseded by v2, whose <c>applicationNumber</c> names what v1's
/// <c>applicationId</c> held (the application number, not its id); published beside v2 until no consumer reads it.
/// </summary>
[IntegrationEvent("licenses.licence-issued.v1")]
public sealed record LicenceIssuedIntegrationEvent(
    string LicenceNumber,
    string TypeCode,
    string HolderUscc,
    DateOnly ValidFrom,
    DateOnly? ValidUntil,
    string HolderName,
    string IssuerCode,
    string KeyId,
    string? ApplicationId,
    string? NationalIdentifier = null) : IntegrationEvent;

/// <summary>
/// A licence was issued and sealed; <see cref="ApplicationNumber"/> is the application (办件编号) it was issued on, if any;
/// <see cref="NationalIdentifier"/> its GB/T 36904 identifier (added later; absent in older messages).
/// </summary>
[IntegrationEvent("licenses.licence-issued.v2")]
public sealed record LicenceIssuedV2IntegrationEvent(
    string LicenceNumber,
    string TypeCode,
    string HolderUscc,
    string HolderName,
    DateOnly ValidFrom,
    DateOnly? ValidUntil,
    string IssuerCode,
    string KeyId,
    string? ApplicationNumber,
    string? NationalIdentifier = null) : IntegrationEvent;

/// <summary>A licence was revoked, suspended or reinstated; <see cref="Status"/> is the new status.</summary>
[IntegrationEvent("licenses.licence-status-changed.v1")]
public sealed record LicenceStatusChangedIntegrationEvent(
    string LicenceNumber,
    string TypeCode,
    string HolderUscc,
    string Status,
    string? Reason,
    string PreviousStatus,
    int StatusListIndex) : IntegrationEvent;
