using Microsoft.EntityFrameworkCore;
using Songjiang.Licenses.Api.Infrastructure;
using Songjiang.Persistence;

namespace Songjiang.Licenses.Api.Issuance;

/// <summary>
/// Checks the matter-licence map against the licence types once they are seeded, before the service takes events
/// or requests: a mapping to an unknown type or field stops the start with every problem listed.
/// </summary>
public sealed class MatterLicenceMapCheck(MatterLicenceMap map, ILogger<MatterLicenceMapCheck> logger) : IDatabaseSeeder<LicensesDbContext>
{
    /// <inheritdoc />
    public async Task SeedAsync(LicensesDbContext db, CancellationToken cancellationToken)
    {
        var types = await db.LicenceTypes.AsNoTracking().ToListAsync(cancellationToken);
        var problems = map.Problems(types);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                $"Seed/matter-licences.json does not fit the licence catalogue:{Environment.NewLine}- {string.Join($"{Environment.NewLine}- ", problems)}");
        }
        logger.LogInformation("Approvals of {Count} matters issue licences: {Matters}", map.All.Count,
            string.Join(", ", map.All.Select(m => $"{m.MatterCode} → {m.LicenceType}")));
    }
}
