using Microsoft.EntityFrameworkCore;
using Songjiang.EventBus;
using Songjiang.PolicyRadar.Api.Domain;
using Songjiang.PolicyRadar.Api.Infrastructure;
using Songjiang.PolicyRadar.Api.IntegrationEvents.Events;
using Songjiang.PolicyRadar.Api.Matching;
using Songjiang.PolicyRadar.Api.Search;
using Songjiang.ServiceDefaults.Problems;

namespace Songjiang.PolicyRadar.Api.Application;

/// <summary>
/// Draft → review → publish, by different people (four-eyes: whoever wrote or changed any version of a policy neither
/// reviews nor publishes any version of it, and a version's reviewer does not publish it). A published version is immutable: editing a
/// published policy starts a new version. Publishing stores the version and the <c>policy-published</c> event in one
/// transaction; the radar's own handler of that event re-matches every enterprise.
/// </summary>
public sealed partial class PolicyWorkflow(
    PolicyRadarDbContext db,
    IOutbox<PolicyRadarDbContext> outbox,
    MatchingEngine engine,
    PolicySearchIndex index,
    TimeProvider clock,
    ILogger<PolicyWorkflow> logger)
{
    /// <summary>Starts a policy with a first draft.</summary>
    public async Task<Policy> CreateAsync(PolicyDraft draft, string actor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var policy = new Policy { CreatedAt = now, UpdatedAt = now, LatestVersion = 1 };
        var version = NewVersion(policy.Id, 1, actor, now);
        draft.ApplyTo(version);
        policy.Versions.Add(version);
        db.Policies.Add(policy);
        await SaveAsync(cancellationToken);
        LogTransition(policy.Id, 1, "drafted", actor);
        return policy;
    }

    /// <summary>Edits the open draft, or — when the newest version is published — starts the next version.</summary>
    public async Task<Policy> EditAsync(Guid policyId, PolicyDraft draft, string actor, CancellationToken cancellationToken)
    {
        var policy = await LoadAsync(policyId, cancellationToken);
        var latest = policy.Latest;
        var now = clock.GetUtcNow();
        switch (latest.Status)
        {
            case PolicyStatus.Draft:
                draft.ApplyTo(latest);
                latest.LastEditedBy = actor;
                if (!latest.Editors.Contains(actor))
                {
                    latest.Editors = [.. latest.Editors, actor];
                }
                latest.UpdatedAt = now;
                latest.ReviewNote = null;
                break;
            case PolicyStatus.Published or PolicyStatus.Superseded:
                var next = NewVersion(policy.Id, latest.Version + 1, actor, now);
                draft.ApplyTo(next);
                policy.Versions.Add(next);
                policy.LatestVersion = next.Version;
                db.PolicyVersions.Add(next);
                break;
            default:
                throw new ConflictException(
                    $"《{latest.Title}》第 {latest.Version} 版当前为“{StatusName(latest.Status)}”，退回为草稿或发布之后才能修改。");
        }
        policy.UpdatedAt = now;
        await SaveAsync(cancellationToken);
        LogTransition(policy.Id, policy.LatestVersion, "edited", actor);
        return policy;
    }

    /// <summary>Submits the draft for review.</summary>
    public async Task<Policy> SubmitAsync(Guid policyId, string actor, CancellationToken cancellationToken)
    {
        var policy = await LoadAsync(policyId, cancellationToken);
        var latest = Expect(policy, PolicyStatus.Draft, "送审");
        latest.Status = PolicyStatus.InReview;
        latest.SubmittedAt = policy.UpdatedAt = clock.GetUtcNow();
        await SaveAsync(cancellationToken);
        LogTransition(policy.Id, latest.Version, "submitted", actor);
        return policy;
    }

    /// <summary>Approves the draft for publication or returns it to its drafter with a note.</summary>
    public async Task<Policy> ReviewAsync(Guid policyId, bool approve, string? note, string actor, CancellationToken cancellationToken)
    {
        var policy = await LoadAsync(policyId, cancellationToken);
        var latest = Expect(policy, PolicyStatus.InReview, "审核");
        if (WroteAnyVersion(policy, actor))
        {
            throw new ForbiddenException("您起草或修改过这项政策，须由另一名政策管理人员审核（四眼原则）。");
        }
        if (!approve && string.IsNullOrWhiteSpace(note))
        {
            throw new ValidationFailedException("note", "退回草稿时请填写审核意见，说明需要修改的内容。");
        }
        if (note is { Length: > 1000 })
        {
            throw new ValidationFailedException("note", "审核意见不超过 1000 个字。");
        }
        latest.Status = approve ? PolicyStatus.Approved : PolicyStatus.Draft;
        latest.ReviewedBy = actor;
        latest.ReviewedAt = policy.UpdatedAt = clock.GetUtcNow();
        latest.ReviewNote = note?.Trim();
        await SaveAsync(cancellationToken);
        LogTransition(policy.Id, latest.Version, approve ? "approved" : "returned", actor);
        return policy;
    }

    /// <summary>Publishes the approved version: it becomes immutable, replaces the previous one and is announced.</summary>
    public async Task<Policy> PublishAsync(Guid policyId, string actor, CancellationToken cancellationToken)
    {
        var policy = await LoadAsync(policyId, cancellationToken);
        var latest = Expect(policy, PolicyStatus.Approved, "发布");
        if (WroteAnyVersion(policy, actor) || actor == latest.ReviewedBy)
        {
            throw new ForbiddenException(
                "您起草、修改或审核过这项政策，须由另一名审批人员发布（四眼原则）。");
        }
        Publish(policy, latest, actor, clock.GetUtcNow());
        await SaveAsync(cancellationToken);
        // This replica searches and matches the new version at once; others pick it up on their next refresh.
        engine.UpsertPolicy(MatchablePolicy.Of(latest));
        index.Upsert(PolicyDocument.Of(latest));
        LogTransition(policy.Id, latest.Version, "published", actor);
        return policy;
    }

    /// <summary>Marks a version published, supersedes the previous one and stages the event (no save).</summary>
    public void Publish(Policy policy, PolicyVersion version, string actor, DateTimeOffset now)
    {
        foreach (var previous in policy.Versions.Where(v => v.Status == PolicyStatus.Published && v.Version != version.Version))
        {
            previous.Status = PolicyStatus.Superseded;
            previous.SupersededAt = now;
        }
        version.Status = PolicyStatus.Published;
        version.PublishedBy = actor;
        version.PublishedAt = now;
        policy.PublishedVersion = version.Version;
        policy.UpdatedAt = now;
        outbox.Add(new PolicyPublishedIntegrationEvent(
            policy.Id, version.Version, version.Title, version.Level.ToString(), version.IssuingBody, version.DocumentNumber,
            version.ExemptFromApplication, now));
    }

    // Every author of every version counts, not only the last editor: an officer who changed the text once must not
    // be the second pair of eyes on it after someone else touched it last.
    private static bool WroteAnyVersion(Policy policy, string actor) =>
        policy.Versions.Any(v => v.DraftedBy == actor || v.LastEditedBy == actor || v.Editors.Contains(actor));

    /// <summary>A new draft version with placeholders that <see cref="PolicyDraft.ApplyTo"/> fills.</summary>
    public static PolicyVersion NewVersion(Guid policyId, int number, string actor, DateTimeOffset now) => new()
    {
        PolicyId = policyId, Version = number, Status = PolicyStatus.Draft, DraftedBy = actor, LastEditedBy = actor, Editors = [actor], DraftedAt = now,
        UpdatedAt = now, Title = "", IssuingBody = "", DocumentNumber = "", FullText = "", BenefitType = "", Criteria = "",
    };

    private async Task<Policy> LoadAsync(Guid policyId, CancellationToken cancellationToken) =>
        await db.Policies.Include(p => p.Versions).SingleOrDefaultAsync(p => p.Id == policyId, cancellationToken)
        ?? throw new NotFoundException($"没有编号为 {policyId} 的政策。");

    private static PolicyVersion Expect(Policy policy, PolicyStatus status, string action)
    {
        var latest = policy.Latest;
        return latest.Status == status
            ? latest
            : throw new ConflictException($"《{latest.Title}》第 {latest.Version} 版当前为“{StatusName(latest.Status)}”，只有“{StatusName(status)}”的版本可以{action}。");
    }

    private static string StatusName(PolicyStatus status) => status switch
    {
        PolicyStatus.Draft => "草稿",
        PolicyStatus.InReview => "审核中",
        PolicyStatus.Approved => "已审核、待发布",
        PolicyStatus.Published => "已发布",
        PolicyStatus.Superseded => "已被新版本取代",
        _ => status.ToString(),
    };

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConflictException("保存时这项政策已被他人修改，请重新打开后再试。");
        }
    }

    [LoggerMessage(LogLevel.Information, "Policy {PolicyId} v{Version} {Transition} by {Actor}")]
    private partial void LogTransition(Guid policyId, int version, string transition, string actor);
}
