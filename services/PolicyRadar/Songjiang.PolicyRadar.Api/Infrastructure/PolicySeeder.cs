using Microsoft.EntityFrameworkCore;
using Songjiang.Persistence;
using Songjiang.PolicyRadar.Api.Application;
using Songjiang.PolicyRadar.Api.Domain;
using Songjiang.ServiceDefaults.Problems;
using System.Text.Json;

namespace Songjiang.PolicyRadar.Api.Infrastructure;

/// <summary>
/// Loads the district's policies from the seed files (<c>Seed/policies-*.json</c>) at first start and publishes them
/// as version 1 by "seed", with their events. A document number already present is left alone; every entry passes
/// the same validation as an officer's draft, and a bad entry stops the start.
/// </summary>
public sealed class PolicySeeder(PolicyWorkflow workflow, TimeProvider clock) : IDatabaseSeeder<PolicyRadarDbContext>
{
    private const string Prefix = "Songjiang.PolicyRadar.Api.Seed.";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <inheritdoc />
    public async Task SeedAsync(PolicyRadarDbContext db, CancellationToken cancellationToken)
    {
        var known = await db.PolicyVersions.Select(v => v.DocumentNumber).Distinct().ToHashSetAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var assembly = typeof(PolicySeeder).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix + "policies-", StringComparison.Ordinal)).Order())
        {
            await using var stream = assembly.GetManifestResourceStream(resource)!;
            var drafts = await JsonSerializer.DeserializeAsync<List<PolicyDraft>>(stream, Json, cancellationToken) ?? [];
            foreach (var draft in drafts.Where(d => !known.Contains(d.DocumentNumber ?? "")))
            {
                var policy = new Policy { CreatedAt = now, UpdatedAt = now, LatestVersion = 1 };
                var version = PolicyWorkflow.NewVersion(policy.Id, 1, "seed", now);
                try
                {
                    draft.ApplyTo(version);
                }
                catch (ValidationFailedException invalid)
                {
                    var problems = string.Join("; ", invalid.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
                    throw new InvalidOperationException($"Seed policy {draft.DocumentNumber} in {resource} is invalid: {problems}", invalid);
                }
                version.ReviewedBy = "seed";
                version.ReviewedAt = now;
                policy.Versions.Add(version);
                db.Policies.Add(policy);
                workflow.Publish(policy, version, "seed", now);
                known.Add(version.DocumentNumber);
            }
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}
