using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Songjiang.Licenses.Api.Domain;
using Songjiang.Licenses.Api.Infrastructure;
using Songjiang.Licenses.Api.Trust;
using Songjiang.Licenses.Api.Verification;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Problems;
using Songjiang.SharedKernel;

namespace Songjiang.Licenses.Api.Features;

/// <summary>A partner city's sealed licence to record.</summary>
/// <param name="Document">The sealed document as the issuing city's platform served it.</param>
/// <param name="ApplicationNumber">The local application it came back on, if any.</param>
public sealed record RecordPartnerLicenceRequest(JsonElement? Document, string? ApplicationNumber);

/// <summary>
/// Records licences another G60 city issued to our enterprises (收受分离): the platform service account hands over
/// the sealed document; it is verified through the trust list first and never stored unless it verifies as valid.
/// </summary>
public static class PartnerLicencesApi
{
    /// <summary>Maps <c>POST /api/licenses/partner-licences</c>.</summary>
    public static RouteGroupBuilder MapPartnerLicencesApi(this RouteGroupBuilder api)
    {
        api.MapPost("/partner-licences", RecordAsync).WithName("record-partner-licence")
            .WithSummary("Records a licence a G60 partner city issued to one of our enterprises, after it verifies through the trust list (platform service account; idempotent by number).")
            .RequireAuthorization(policy => policy.RequireRole(PlatformRoles.Service))
            .ProducesProblem(400).ProducesProblem(409);
        return api;
    }

    private static async Task<Results<Created<LicenceSummary>, Ok<LicenceSummary>>> RecordAsync(
        RecordPartnerLicenceRequest request, LicensesDbContext db, LicenceVerifier verifier, TrustList trustList, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (request.Document is not { ValueKind: JsonValueKind.Object } document)
        {
            throw new ValidationFailedException("document", "须提供合作城市签章的电子证照文档（JSON 对象）。");
        }
        if (request.ApplicationNumber is { Length: > 64 })
        {
            throw new ValidationFailedException("applicationNumber", "申请编号不超过 64 个字符。");
        }
        var result = await verifier.VerifyAsync(document, cancellationToken);
        if (result.Outcome != VerificationOutcomes.Valid)
        {
            throw new ValidationFailedException("document", $"该证照未通过核验（{result.Outcome}）：{string.Join(" ", result.Reasons)}");
        }
        if (result.KeySource != "trust-list")
        {
            throw new ValidationFailedException("document", "该证照由本平台的发证机关签发，已在本平台证照库中，无需作为合作城市证照登记。");
        }
        var trusted = await trustList.FindAsync(result.KeyId!, cancellationToken)
            ?? throw new ValidationFailedException("document", "签章密钥不在G60互认信任清单中。");
        var licence = document.GetProperty("licence");
        if (string.IsNullOrWhiteSpace(result.LicenceNumber) || result.LicenceNumber.Length > 100)
        {
            throw new ValidationFailedException("document.licence.licenceNumber", "证照须载明不超过 100 个字符的证照编号。");
        }
        if (string.IsNullOrWhiteSpace(result.TypeCode) || result.TypeCode.Length > 64)
        {
            throw new ValidationFailedException("document.licence.type.code", "证照须载明证照类型代码。");
        }
        if (!UnifiedSocialCreditCode.TryParse(result.HolderUscc, out _, out _))
        {
            throw new ValidationFailedException("document.licence.holder.identifier", "证照须载明持证企业有效的统一社会信用代码。");
        }
        var validFrom = Date(licence, "validFrom")
            ?? throw new ValidationFailedException("document.licence.validFrom", "证照须载明生效日期（yyyy-MM-dd）。");

        var existing = await db.PartnerLicences.AsNoTracking().FirstOrDefaultAsync(l => l.Number == result.LicenceNumber, cancellationToken);
        if (existing is not null)
        {
            return existing.CityCode == trusted.CityCode && existing.HolderUscc == result.HolderUscc!.ToUpperInvariant()
                ? TypedResults.Ok(LicenceSummary.Of(existing))
                : throw new ConflictException($"编号为 {result.LicenceNumber} 的合作城市证照已登记，且与本文档的签发城市或持证企业不同。");
        }
        var cityName = G60Cities.Find(trusted.CityCode)?.Name ?? trusted.CityCode;
        var recorded = new PartnerLicence
        {
            Number = result.LicenceNumber,
            TypeCode = result.TypeCode,
            HolderName = Truncate(result.HolderName ?? "", 200),
            HolderUscc = result.HolderUscc!.ToUpperInvariant(),
            IssuerCode = trusted.IssuerCode,
            IssuerName = Truncate(trusted.IssuerName, 200),
            CityCode = trusted.CityCode,
            CityName = cityName,
            KeyId = trusted.KeyId,
            NationalIdentifier = result.NationalIdentifier is { Length: <= NationalLicenceIdentifier.MaxLength } identifier ? identifier : null,
            ValidFrom = validFrom,
            ValidUntil = Date(licence, "validUntil"),
            Document = document.GetRawText(),
            ApplicationNumber = request.ApplicationNumber,
            RecordedAt = clock.GetUtcNow(),
        };
        db.PartnerLicences.Add(recorded);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Recorded by a concurrent call with the same number, or a real failure.
            var winner = await db.PartnerLicences.AsNoTracking().FirstOrDefaultAsync(l => l.Number == recorded.Number, CancellationToken.None);
            if (winner is null)
            {
                throw;
            }
            return TypedResults.Ok(LicenceSummary.Of(winner));
        }
        return TypedResults.Created($"/api/licenses/{Uri.EscapeDataString(recorded.Number)}", LicenceSummary.Of(recorded));
    }

    private static DateOnly? Date(JsonElement licence, string name) =>
        licence.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            && DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;

    private static string Truncate(string text, int length) => text.Length > length ? text[..length] : text;
}
