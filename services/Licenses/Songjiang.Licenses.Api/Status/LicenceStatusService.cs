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
            throw new ValidationFailedException("reason", "须说明理由（不超过 500 个字符），理由将随证照状态一并公布。");
        }
        var licence = await db.Licences.FirstOrDefaultAsync(l => l.Number == number, cancellationToken)
            ?? throw new NotFoundException($"本平台没有签发编号为“{number}”的证照。");
        var authority = await db.Authorities.AsNoTracking().FirstAsync(a => a.Code == licence.AuthorityCode, cancellationToken);
        if (!caller.IsApproverOf(authority.Department))
        {
            throw new ForbiddenException($"只有{authority.Name}的审批人员可以变更其所发证照的状态。");
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
            _ => throw new ConflictException(Refusal(number, from, action)),
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
            throw new ConflictException($"证照 {number} 的状态刚被他人变更，请刷新后重试。");
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
            _ => throw new NotFoundException($"没有“{purpose}”状态清单；状态清单只有 {StatusPurposes.Revocation}（吊销）和 {StatusPurposes.Suspension}（暂停）两种。"),
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

    // Why a status change does not apply, in the words the caseworker used: 吊销, 暂停, 解除暂停.
    private static string Refusal(string number, LicenceStatus from, StatusAction action)
    {
        var verb = action switch
        {
            StatusAction.Revoke => "吊销",
            StatusAction.Suspend => "暂停",
            _ => "解除暂停",
        };
        return (action, from) switch
        {
            (StatusAction.Revoke, LicenceStatus.Revoked) or (StatusAction.Suspend, LicenceStatus.Suspended) => $"证照 {number} 已{verb}，不能重复{verb}。",
            _ => $"证照 {number} {StateName(from)}，不能{verb}。",
        };
    }

    private static string StateName(LicenceStatus status) => status switch
    {
        LicenceStatus.Active => "当前有效",
        LicenceStatus.Suspended => "已暂停",
        _ => "已吊销",
    };
}
