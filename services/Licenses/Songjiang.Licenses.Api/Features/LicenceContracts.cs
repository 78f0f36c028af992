using Songjiang.Licenses.Api.Documents;
using Songjiang.Licenses.Api.Domain;
using Songjiang.Licenses.Api.Status;
using Songjiang.Licenses.Api.Verification;
using System.Text.Json;

namespace Songjiang.Licenses.Api.Features;

/// <summary>The holder of a licence to issue.</summary>
public sealed record HolderRequest(string? Name, string? Uscc);

/// <summary>What an approver submits to issue a licence.</summary>
/// <param name="TypeCode">The licence type (see <c>GET /api/licenses/public/types</c>).</param>
/// <param name="Holder">The holder.</param>
/// <param name="Fields">The type-specific fields.</param>
/// <param name="ValidFrom">First day of validity (default today).</param>
/// <param name="ValidUntil">Last day (default from the type).</param>
/// <param name="ApplicationId">The application it is issued for: the same id never yields a second licence.</param>
public sealed record IssueLicenceRequest(
    string? TypeCode, HolderRequest? Holder, Dictionary<string, JsonElement>? Fields, DateOnly? ValidFrom, DateOnly? ValidUntil, string? ApplicationId);

/// <summary>A caseworker's reason for a status change.</summary>
public sealed record StatusChangeRequest(string? Reason);

/// <summary>
/// A licence as lists show it; <c>nationalIdentifier</c> is its GB/T 36904 identifier. A licence another G60 city
/// issued (recorded here after it verified through the trust list) names that city in <c>issuingCity</c> and
/// <c>issuingCityName</c> (e.g. 嘉兴市); it has no status list entry or verification URL here.
/// </summary>
public sealed record LicenceSummary(
    string Number, string TypeCode, string HolderName, string HolderUscc, string IssuerCode, DateOnly IssueDate,
    DateOnly ValidFrom, DateOnly? ValidUntil, string Status, string? StatusReason, DateTimeOffset? StatusChangedAt,
    string? ApplicationId, int? StatusListIndex, string KeyId, string? VerificationUrl, string? NationalIdentifier,
    string? IssuingCity = null, string? IssuingCityName = null, string? IssuerName = null)
{
    /// <summary>
    /// Maps a partner city's licence recorded here, with its status by its issuer's lists when read (revoked or
    /// suspended, with the finding as the reason; otherwise active).
    /// </summary>
    public static LicenceSummary Of(PartnerLicence licence, PartnerLicenceStatus? status = null)
    {
        var ended = status?.Status is VerificationOutcomes.Revoked or VerificationOutcomes.Suspended;
        return new(
            licence.Number, licence.TypeCode, licence.HolderName, licence.HolderUscc, licence.IssuerCode, licence.ValidFrom,
            licence.ValidFrom, licence.ValidUntil, ended ? status!.Status : "active", ended ? status!.Reason : null, null,
            licence.ApplicationNumber, null, licence.KeyId, null, licence.NationalIdentifier, licence.CityCode, licence.CityName,
            licence.IssuerName);
    }

    /// <summary>Maps a stored licence.</summary>
    public static LicenceSummary Of(Licence licence, PublicUrls urls) => new(
        licence.Number, licence.TypeCode, licence.HolderName, licence.HolderUscc, licence.AuthorityCode, licence.IssueDate,
        licence.ValidFrom, licence.ValidUntil, licence.Status.ToString().ToLowerInvariant(), licence.StatusReason,
        licence.StatusChangedAt, licence.ApplicationId, licence.StatusListIndex, licence.KeyId, urls.Verification(licence.Number),
        licence.NationalIdentifier);
}

/// <summary>A licence with its sealed document.</summary>
public sealed record LicenceDetail(LicenceSummary Licence, JsonElement Document)
{
    /// <summary>Maps a stored licence.</summary>
    public static LicenceDetail Of(Licence licence, PublicUrls urls)
    {
        using var document = JsonDocument.Parse(SealedDocument.Write(licence.Payload, licence.KeyId, licence.Signature));
        return new LicenceDetail(LicenceSummary.Of(licence, urls), document.RootElement.Clone());
    }
}

/// <summary>A page of licences.</summary>
public sealed record LicencePage(IReadOnlyList<LicenceSummary> Items, int Page, int PageSize, int Total);
