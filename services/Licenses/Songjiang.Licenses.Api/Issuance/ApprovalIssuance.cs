using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Songjiang.Licenses.Api.Domain;
using Songjiang.Licenses.Api.Infrastructure;
using Songjiang.Licenses.Api.IntegrationEvents.Events;
using Songjiang.ServiceDefaults.Problems;

namespace Songjiang.Licenses.Api.Issuance;

/// <summary>
/// Issues the licence an approval's typed section describes, in the caller's transaction and from local data only:
/// the holder's registered details come from <see cref="HolderProfile"/>. An approval whose holder is not known yet
/// (a new enterprise awaiting the register's code, or a profile not yet received) is parked and issued when the
/// register's event arrives. The application number is the licence's idempotency key.
/// </summary>
public sealed class ApprovalIssuance(LicenceIssuer issuer, LicensesDbContext db, TimeProvider clock, ILogger<ApprovalIssuance> logger)
{
    /// <summary>Who issued, in the licence's audit field.</summary>
    public const string IssuedBy = "cases:application-approved";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Issues now, or parks the approval until its holder is known.</summary>
    public async Task IssueOrParkAsync(ApplicationApprovedIntegrationEvent approval, CancellationToken cancellationToken)
    {
        if (approval.Licence is not { } licence)
        {
            logger.LogDebug("Application {Number} approved (event {EventId}); it yields no licence", approval.ApplicationNumber, approval.Id);
            return;
        }
        if (await db.Licences.AsNoTracking().AnyAsync(l => l.ApplicationId == approval.ApplicationNumber, cancellationToken)
            || await db.PendingIssues.AnyAsync(p => p.ApplicationNumber == approval.ApplicationNumber, cancellationToken))
        {
            logger.LogInformation("Application {Number} already has its licence or awaits its holder (event {EventId})", approval.ApplicationNumber, approval.Id);
            return;
        }
        var holder = await HolderAsync(approval.ApplicationNumber, licence, cancellationToken);
        var needsProfile = licence.HolderIsRegisteredEnterprise || (licence.FromHolderProfile?.Count ?? 0) > 0;
        if (holder is null && needsProfile)
        {
            db.PendingIssues.Add(new PendingIssue
            {
                ApplicationNumber = approval.ApplicationNumber,
                HolderUscc = licence.HolderIsRegisteredEnterprise ? null : licence.HolderUscc?.ToUpperInvariant(),
                Approval = JsonSerializer.Serialize(approval, Json),
                ParkedAt = clock.GetUtcNow(),
            });
            logger.LogInformation("Application {Number}'s {Type} waits for its holder's registration (event {EventId})",
                approval.ApplicationNumber, licence.Type, approval.Id);
            return;
        }
        await IssueAsync(approval, licence, holder, cancellationToken);
    }

    /// <summary>Issues the parked approvals the holder's registration or profile now allows; returns how many were issued.</summary>
    public async Task<int> ReleaseAsync(HolderProfile profile, CancellationToken cancellationToken)
    {
        var waiting = await db.PendingIssues
            .Where(p => p.Problem == null && (p.HolderUscc == profile.Uscc
                || (p.HolderUscc == null && p.ApplicationNumber == profile.RegisteredOnApplication)))
            .ToListAsync(cancellationToken);
        var issued = 0;
        foreach (var pending in waiting)
        {
            var approval = JsonSerializer.Deserialize<ApplicationApprovedIntegrationEvent>(pending.Approval, Json)!;
            try
            {
                await IssueAsync(approval, approval.Licence!, profile, cancellationToken);
                db.PendingIssues.Remove(pending);
                issued++;
            }
            catch (LicenceNotIssuableException error)
            {
                // The register's event is not at fault: keep the approval with the reason for an administrator.
                pending.Problem = error.Message;
            }
        }
        return issued;
    }

    private async Task<HolderProfile?> HolderAsync(string applicationNumber, ApprovedLicence licence, CancellationToken cancellationToken)
    {
        if (licence.HolderIsRegisteredEnterprise)
        {
            return await db.HolderProfiles.FirstOrDefaultAsync(p => p.RegisteredOnApplication == applicationNumber, cancellationToken);
        }
        var uscc = licence.HolderUscc?.ToUpperInvariant();
        return uscc is null ? null : await db.HolderProfiles.FirstOrDefaultAsync(p => p.Uscc == uscc, cancellationToken);
    }

    private async Task IssueAsync(ApplicationApprovedIntegrationEvent approval, ApprovedLicence licence, HolderProfile? holder, CancellationToken cancellationToken)
    {
        var type = await db.LicenceTypes.AsNoTracking().SingleOrDefaultAsync(t => t.Code == licence.Type, cancellationToken)
            ?? throw NotIssuable(approval, licence.Type, new Dictionary<string, string[]> { ["licence.type"] = [$"证照目录中没有证照类型“{licence.Type}”。"] });
        var fields = new Dictionary<string, JsonElement>(licence.Fields ?? new Dictionary<string, JsonElement>(), StringComparer.Ordinal);
        var errors = new Dictionary<string, string[]>();
        foreach (var (field, detail) in licence.FromHolderProfile ?? new Dictionary<string, string>())
        {
            if (holder?.Detail(detail) is { Length: > 0 } value)
            {
                fields[field] = JsonSerializer.SerializeToElement(value);
            }
            else if (type.Fields.Any(f => f.Name == field && f.Required))
            {
                errors[$"fields.{field}"] = [$"持证企业的登记信息中没有{detail}。"];
            }
        }
        var holderUscc = licence.HolderIsRegisteredEnterprise ? holder?.Uscc : licence.HolderUscc;
        if (string.IsNullOrWhiteSpace(holderUscc))
        {
            errors["holder.uscc"] = ["批准未指明持证主体。"];
        }
        if (errors.Count > 0)
        {
            throw NotIssuable(approval, type.Name, errors);
        }
        try
        {
            var result = await issuer.IssueAsync(new IssueLicenceCommand(
                type.Code, holder?.Name is { Length: > 0 } registered && licence.HolderIsRegisteredEnterprise ? registered : licence.HolderName,
                holderUscc, fields, ValidFrom: approval.ApprovedOn, ValidUntil: null,
                ApplicationId: approval.ApplicationNumber, IssuedBy, ActingDepartment: null), cancellationToken);
            logger.LogInformation("Application {Number} ({Matter}) approved (event {EventId}): licence {Licence} {State}",
                approval.ApplicationNumber, approval.MatterCode, approval.Id, result.Licence.Number, result.Created ? "issued" : "already issued");
        }
        catch (ValidationFailedException ex)
        {
            throw NotIssuable(approval, type.Name, ex.Errors, ex);
        }
        catch (ConflictException ex)
        {
            throw new LicenceNotIssuableException($"Application {approval.ApplicationNumber} ({approval.MatterCode}) cannot be issued a {type.Name}: {ex.Message}", ex);
        }
    }

    private LicenceNotIssuableException NotIssuable(
        ApplicationApprovedIntegrationEvent approval, string typeName, IDictionary<string, string[]> errors, Exception? inner = null)
    {
        var reasons = string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
        logger.LogError("Application {Number} ({Matter}, event {EventId}) cannot be issued a {Type}: {Reasons}",
            approval.ApplicationNumber, approval.MatterCode, approval.Id, typeName, reasons);
        return new LicenceNotIssuableException(
            $"Application {approval.ApplicationNumber} ({approval.MatterCode}) cannot be issued a {typeName}: {reasons}", inner);
    }
}
