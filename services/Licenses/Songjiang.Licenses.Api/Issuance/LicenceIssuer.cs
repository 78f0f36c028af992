using Songjiang.Cryptography;
using Songjiang.ServiceDefaults.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Songjiang.Licenses.Api.Canonical;
using Songjiang.Licenses.Api.Documents;
using Songjiang.Licenses.Api.Domain;
using Songjiang.Licenses.Api.Extensions;
using Songjiang.EventBus;
using Songjiang.Licenses.Api.Infrastructure;
using Songjiang.Licenses.Api.IntegrationEvents.Events;
using Songjiang.Licenses.Api.Sealing;
using Songjiang.ServiceDefaults.Problems;
using Songjiang.SharedKernel;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Songjiang.Licenses.Api.Issuance;

/// <summary>Validates, numbers, seals and stores a licence in one transaction: nothing half-written.</summary>
public sealed class LicenceIssuer(
    LicensesDbContext db,
    SealKeyStore keys,
    PublicUrls urls,
    IOutbox<LicensesDbContext> outbox,
    IOptions<LicensesOptions> options,
    TimeProvider clock,
    ILogger<LicenceIssuer> logger)
{
    private const int MaxAttempts = 5;
    private const string NumberAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford base32: no I, L, O, U

    /// <summary>Issues the licence, or returns the one already issued for the same application.</summary>
    public async Task<IssueLicenceResult> IssueAsync(IssueLicenceCommand command, CancellationToken cancellationToken)
    {
        var applicationId = string.IsNullOrWhiteSpace(command.ApplicationId) ? null : command.ApplicationId.Trim();
        if (applicationId is { Length: > 64 })
        {
            throw new ValidationFailedException("applicationId", "申请编号不超过 64 个字符。");
        }
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            if (applicationId is not null && await ExistingAsync(applicationId, command, cancellationToken) is { } existing)
            {
                logger.LogInformation("Application {ApplicationId} already has licence {Number}", applicationId, existing.Number);
                return new IssueLicenceResult(existing, Created: false);
            }
            var licence = await PrepareAsync(command, applicationId, cancellationToken);
            db.Licences.Add(licence);
            // Stored in the same transaction as the licence, relayed after commit.
            outbox.Add(new LicenceIssuedIntegrationEvent(licence.Number, licence.TypeCode, licence.HolderUscc, licence.ValidFrom,
                licence.ValidUntil, licence.HolderName, licence.AuthorityCode, licence.KeyId, licence.ApplicationId, licence.NationalIdentifier));
            outbox.Add(new LicenceIssuedV2IntegrationEvent(licence.Number, licence.TypeCode, licence.HolderUscc, licence.HolderName,
                licence.ValidFrom, licence.ValidUntil, licence.AuthorityCode, licence.KeyId, licence.ApplicationId, licence.NationalIdentifier));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                logger.LogInformation("Issued licence {Number} ({Type}) to {Holder} with key {KeyId}",
                    licence.Number, licence.TypeCode, licence.HolderUscc, licence.KeyId);
                return new IssueLicenceResult(licence, Created: true);
            }
            catch (DbUpdateException exception)
            {
                // Another request took the application, the number or the status index first: look again.
                db.ChangeTracker.Clear();
                logger.LogInformation(exception, "Issuing attempt {Attempt} collided; retrying", attempt);
            }
        }
        throw new ConflictException("证照多次保存未成功，请重试。");
    }

    private async Task<Licence?> ExistingAsync(string applicationId, IssueLicenceCommand command, CancellationToken cancellationToken)
    {
        var existing = await db.Licences.AsNoTracking().FirstOrDefaultAsync(l => l.ApplicationId == applicationId, cancellationToken);
        if (existing is not null && (existing.TypeCode != command.TypeCode?.Trim()
            || !string.Equals(existing.HolderUscc, command.HolderUscc?.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            throw new ConflictException(
                $"申请 {applicationId} 已签发证照 {existing.Number}（证照类型 {existing.TypeCode}，持证企业 {existing.HolderName}），与本次请求的证照类型或持证企业不同。");
        }
        return existing;
    }

    private async Task<Licence> PrepareAsync(IssueLicenceCommand command, string? applicationId, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var typeCode = command.TypeCode?.Trim();
        var type = string.IsNullOrEmpty(typeCode)
            ? null
            : await db.LicenceTypes.AsNoTracking().FirstOrDefaultAsync(t => t.Code == typeCode, cancellationToken);
        if (type is null)
        {
            throw new ValidationFailedException("typeCode", $"没有证照类型“{command.TypeCode}”；可签发的证照类型见 GET /api/licenses/public/types。");
        }
        var authority = await db.Authorities.AsNoTracking().FirstAsync(a => a.Code == type.AuthorityCode, cancellationToken);
        if (command.ActingDepartment is not null && command.ActingDepartment != authority.Department)
        {
            throw new ForbiddenException($"{type.Name}由{authority.Name}签发，您所在的部门不能签发。");
        }

        var holderName = command.HolderName?.Trim();
        if (string.IsNullOrEmpty(holderName) || holderName.Length > 200)
        {
            errors["holder.name"] = ["须填写持证企业名称（不超过 200 个字符）。"];
        }
        if (!UnifiedSocialCreditCode.TryParse(command.HolderUscc, out var uscc, out var usccError))
        {
            errors["holder.uscc"] = [usccError];
        }
        var fields = FieldValidator.Validate(type, command.Fields, errors);

        var today = Today();
        var validFrom = command.ValidFrom ?? today;
        var validUntil = command.ValidUntil
            ?? (type.ValidityYears is { } years ? validFrom.AddYears(years).AddDays(-1) : null);
        if (validUntil is { } until && until < validFrom)
        {
            errors["validUntil"] = ["有效期的截止日期早于起始日期。"];
        }
        else if (validUntil is { } end && end < today)
        {
            errors["validUntil"] = ["按所填有效期，证照签发时即已过期。"];
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var key = await keys.ActiveKeyAsync(authority.Code, cancellationToken);
        var number = $"{type.NumberPrefix}-{authority.DivisionCode}-{today.Year}-{RandomNumberGenerator.GetString(NumberAlphabet, 8)}";
        var identifier = type.NationalTypeCode is { } nationalType ? Licence.IdentifierOf(nationalType, authority.Code, number, today) : null;
        var index = await FreeStatusIndexAsync(cancellationToken);
        var payload = new JsonObject
        {
            ["licenceNumber"] = number,
            ["nationalIdentifier"] = identifier,
            ["type"] = new JsonObject { ["code"] = type.Code, ["name"] = type.Name },
            ["holder"] = new JsonObject
            {
                ["name"] = holderName,
                ["identifierType"] = "统一社会信用代码",
                ["identifier"] = uscc!.Value.Value,
            },
            ["issuer"] = new JsonObject
            {
                ["code"] = authority.Code,
                ["name"] = authority.Name,
                ["divisionCode"] = authority.DivisionCode,
            },
            ["issueDate"] = Iso(today),
            ["validFrom"] = Iso(validFrom),
            ["validUntil"] = validUntil is { } u ? Iso(u) : null,
            ["fields"] = fields,
            ["applicationId"] = applicationId,
            ["credentialStatus"] = new JsonObject
            {
                ["type"] = "BitstringStatusListEntry",
                ["statusListIndex"] = index,
                ["revocationList"] = urls.StatusList(StatusPurposes.Revocation),
                ["suspensionList"] = urls.StatusList(StatusPurposes.Suspension),
            },
            ["verificationUrl"] = urls.Verification(number),
        };
        var canonical = JsonCanonicalizer.CanonicalString(JsonSerializer.SerializeToElement(payload));
        return new Licence
        {
            Id = Guid.CreateVersion7(),
            Number = number,
            TypeCode = type.Code,
            HolderName = holderName!,
            HolderUscc = uscc.Value.Value,
            AuthorityCode = authority.Code,
            IssueDate = today,
            ValidFrom = validFrom,
            ValidUntil = validUntil,
            ApplicationId = applicationId,
            StatusListIndex = index,
            Status = LicenceStatus.Active,
            Payload = canonical,
            Signature = Sm2.Sign(key.PrivateKey, Encoding.UTF8.GetBytes(canonical)),
            KeyId = key.KeyId,
            IssuedBy = command.IssuedBy,
            IssuedAt = clock.GetUtcNow(),
        }.WithNationalIdentifier(type.NationalTypeCode);
    }

    // Random positions, as the W3C Bitstring Status List recommends, so an index says nothing about issue order.
    private async Task<int> FreeStatusIndexAsync(CancellationToken cancellationToken)
    {
        var size = options.Value.StatusListSize;
        for (var i = 0; i < 32; i++)
        {
            var candidate = RandomNumberGenerator.GetInt32(size);
            if (!await db.Licences.AnyAsync(l => l.StatusListIndex == candidate, cancellationToken))
            {
                return candidate;
            }
        }
        throw new ConflictException("证照状态清单已无空位，请管理员调大 Licenses:StatusListSize。");
    }

    private DateOnly Today() => ChinaTime.Today(clock);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>The purposes of the two status lists.</summary>
public static class StatusPurposes
{
    /// <summary>Revoked licences.</summary>
    public const string Revocation = "revocation";

    /// <summary>Suspended licences.</summary>
    public const string Suspension = "suspension";
}
