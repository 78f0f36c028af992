using System.Text.Json;

namespace Songjiang.Licenses.Api.Issuance;

/// <summary>
/// Issue one licence. With an <see cref="ApplicationId"/> the command is idempotent: the same application always
/// yields the same licence, however often it is sent — which is what the handler of the cases service's
/// "application approved" event needs when the broker redelivers.
/// </summary>
/// <param name="TypeCode">The licence type.</param>
/// <param name="HolderName">The holder's name.</param>
/// <param name="HolderUscc">The holder's unified social credit code.</param>
/// <param name="Fields">The type-specific fields.</param>
/// <param name="ValidFrom">First day of validity (default: today).</param>
/// <param name="ValidUntil">Last day (default: from the type's validity; long-term types have none).</param>
/// <param name="ApplicationId">The application (办件) it is issued for, if any: the idempotency key.</param>
/// <param name="IssuedBy">Who issues: a caseworker's subject, or the system for event-driven issuance.</param>
/// <param name="ActingDepartment">
/// The caseworker's department when a person issues through the API: it must own the licence type. <c>null</c>
/// for issuance on a trusted event.
/// </param>
public sealed record IssueLicenceCommand(
    string? TypeCode,
    string? HolderName,
    string? HolderUscc,
    IReadOnlyDictionary<string, JsonElement>? Fields,
    DateOnly? ValidFrom,
    DateOnly? ValidUntil,
    string? ApplicationId,
    string IssuedBy,
    string? ActingDepartment);

/// <summary>The outcome: the licence, and whether this call created it (false for a repeat of the same application).</summary>
public sealed record IssueLicenceResult(Domain.Licence Licence, bool Created);
