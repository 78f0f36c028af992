using Microsoft.EntityFrameworkCore;
using Songjiang.PolicyRadar.Api.Criteria;
using Songjiang.PolicyRadar.Api.Domain;
using Songjiang.PolicyRadar.Api.Infrastructure;
using Songjiang.PolicyRadar.Api.IntegrationEvents.Events;
using Songjiang.PolicyRadar.Api.Matching;

namespace Songjiang.PolicyRadar.Api.Application;

/// <summary>
/// Applies enterprise profiles from events and from the sync to the read model: a profile older than the one held
/// is ignored, so the sync and events may arrive in any order. An applied profile is re-matched at once.
/// </summary>
public sealed class EnterpriseReadModel(PolicyRadarDbContext db, MatchingEngine engine, PolicyPushes pushes, TimeProvider clock)
{
    /// <summary>A profile as of a moment, from an event or the feed.</summary>
    public sealed record Incoming(string Uscc, EnterpriseProfileData Profile, DateTimeOffset AsOf);

    /// <summary>Applies profiles that are newer than those held; returns how many were applied. The caller saves.</summary>
    public async Task<int> ApplyAsync(IReadOnlyList<Incoming> profiles, CancellationToken cancellationToken)
    {
        var keys = profiles.Select(p => p.Uscc.Trim().ToUpperInvariant()).Distinct().ToList();
        var held = await db.Enterprises.Where(e => keys.Contains(e.Uscc)).ToDictionaryAsync(e => e.Uscc, cancellationToken);
        var applied = 0;
        foreach (var incoming in profiles)
        {
            var uscc = incoming.Uscc.Trim().ToUpperInvariant();
            if (held.TryGetValue(uscc, out var row) && row.AsOf >= incoming.AsOf)
            {
                continue;
            }
            var p = incoming.Profile;
            if (row is null)
            {
                row = new EnterpriseProfile
                {
                    Uscc = uscc, Name = p.Name, Location = p.Location, IndustryCode = p.IndustryCode, SizeClass = p.SizeClass.ToString(),
                    Stage = p.Stage.ToString(), CreditRating = p.CreditRating.ToString(),
                };
                db.Enterprises.Add(row);
                held[uscc] = row;
            }
            row.Name = p.Name;
            row.Location = p.Location;
            row.IndustryCode = p.IndustryCode;
            row.FoundedOn = p.FoundedOn;
            row.Employees = p.Employees;
            row.AnnualRevenue = p.AnnualRevenue;
            row.RdSpending = p.RdSpending;
            row.SizeClass = p.SizeClass.ToString();
            row.IsListed = p.IsListed;
            row.Stage = p.Stage.ToString();
            row.CreditRating = p.CreditRating.ToString();
            row.Qualifications = [.. p.Qualifications.Select(q => new HeldQualification(q.Kind, q.ValidFrom, q.ValidUntil))];
            row.AsOf = incoming.AsOf;
            row.SyncedAt = clock.GetUtcNow();

            var facts = row.ToFacts();
            engine.UpsertEnterprise(facts, row.Name);
            await pushes.EnterpriseChangedAsync(facts, row.Name, cancellationToken);
            applied++;
        }
        return applied;
    }
}
