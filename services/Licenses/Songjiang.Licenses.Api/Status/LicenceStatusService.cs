using Songjiang.ServiceDefaults.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Songjiang.Licenses.Api.Features;
using Songjiang.Licenses.Api.Domain;
using Songjiang.Licenses.Api.Extensions;
using Songjiang.EventBus;
using Songjiang.Licenses.Api.Infrastructure;
using Songjiang.Licenses.Api.IntegrationEvents.Events;
using Songjiang.Licenses.Api.Issuance;
using Songjiang.ServiceDefaults.Problems;

namespace Songjiang.Licenses.Api.Status;

/// <summary>What a caseworker does to a licence's status.</summary>
public enum StatusAction
{
    /// <summary>Revoke (吊销/撤销); final.</summary>
    Revoke,

    /// <summary>Suspend (暂扣).</summary>
    Suspend,

    /// <summary>Lift a suspension.</summary>
    Reinstate,
}

/// <summary>Revocation, suspension and reinstatement by an approver of the issuing authority, and the status lists.</summary>
public sealed class LicenceStatusService(
    LicensesDbContext db, IOutbox<LicensesDbContext> outbox, IOptions<LicensesOptions> options, TimeProvider clock, ILogger<LicenceStatusService> logger)
{
    /// <summary>Changes a licence's status, with the reason, in one transaction with its history entry.</summary>
    public async Task<Licence> ChangeAsync(string number, StatusAction action, string? reason, Caller caller, CancellationToken cancellationToken)
    {
        var trimmed = reason?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > 500)
        {
            throw new ValidationFailedException("reason", "A reason is required (at most 500 characters); it is published with the status.");
        }
        var licence = await db.Licences.FirstOrDefaultAsync(l => l.Number == number, cancellationToken)
            ?? throw new NotFoundException($"No licence numbered '{number}' was issued here.");
        var authority = await db.Authorities.AsNoTracking().FirstAsync(a => a.Code == licence.AuthorityCode, cancellationToken);
        if (!caller.IsApproverOf(authority.Department))
        {
            throw new ForbiddenException($"Only an approver of {authority.Name} may change the status of its licences.");
        }
        await ApplyAsync(licence, action, trimmed, caller.Id, cancellationToken);
        return licence;
    }

    /// <summary>
    /// Revokes the licence issued for an application whose approval was itself revoked (承诺办 found broken in
    /// post-approval verification). Nothing happens when the application yielded no licence or it is revoked already.
    /// </summary>
    public async Task<Licence?> RevokeForApplicationAsync(string applicationId, string reason, string changedBy, CancellationToken cancellationToken)
    {
        var licence = await db.Licences.FirstOrDefaultAsync(l => l.ApplicationId == applicationId, cancellationToken);
        if (licence is null || licence.Status == LicenceStatus.Revoked)
        {
            return licence;
        }
        await ApplyAsync(licence, StatusAction.Revoke, reason.Length > 500 ? reason[..500] : reason, changedBy, cancellationToken);
        return licence;
    }

    private async Task ApplyAsync(Licence licence, StatusAction action, string trimmed, string changedBy, CancellationToken cancellationToken)
    {
        var number = licence.Number;
        var from = licence.Status;
        var to = (action, from) switch
        {
            (StatusAction.Revoke, LicenceStatus.Active or LicenceStatus.Suspended) => LicenceStatus.Revoked,
            (StatusAction.Suspend, LicenceStatus.Active) => LicenceStatus.Suspended,
            (StatusAction.Reinstate, LicenceStatus.Suspended) => LicenceStatus.Active,
            _ => throw new ConflictException($"Licence {number} is {from.ToString().ToLowerInvariant()}; it cannot be {Past(action)}."),
        };
        var now = clock.GetUtcNow();
        licence.Status = to;
        licence.StatusReason = trimmed;
        licence.StatusChangedAt = now;
        licence.Version++;
        db.StatusChanges.Add(new LicenceStatusChange
        {
            Id = Guid.CreateVersion7(),
            LicenceId = licence.Id,
            From = from,
            To = to,
            Reason = trimmed,
            ChangedBy = changedBy,
            ChangedAt = now,
        });
        outbox.Add(new LicenceStatusChangedIntegrationEvent(licence.Number, licence.TypeCode, licence.HolderUscc,
            Name(to), trimmed, Name(from), licence.StatusListIndex));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConflictException($"The status of licence {number} changed meanwhile; reload and try again.");
        }
        logger.LogInformation("Licence {Number} {From} → {To} by {Caseworker}", number, from, to, changedBy);
    }

    /// <summary>The current status list for a purpose (<c>revocation</c> or <c>suspension</c>).</summary>
    public async Task<StatusList> BuildAsync(string purpose, CancellationToken cancellationToken)
    {
        var status = purpose switch
        {
            StatusPurposes.Revocation => LicenceStatus.Revoked,
            StatusPurposes.Suspension => LicenceStatus.Suspended,
            _ => throw new NotFoundException($"There is no '{purpose}' status list; there are '{StatusPurposes.Revocation}' and '{StatusPurposes.Suspension}'."),
        };
        var list = new StatusList(options.Value.StatusListSize);
        var indexes = await db.Licences.AsNoTracking().Where(l => l.Status == status).Select(l => l.StatusListIndex).ToListAsync(cancellationToken);
        foreach (var index in indexes.Where(i => i < list.Size))
        {
            list.Set(index, true);
        }
        return list;
    }

    private static string Name(LicenceStatus status) => status.ToString().ToLowerInvariant();

    private static string Past(StatusAction action) => action switch
    {
        StatusAction.Revoke => "revoked",
        StatusAction.Suspend => "suspended",
        _ => "reinstated",
    };
}
