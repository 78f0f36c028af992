using Microsoft.EntityFrameworkCore;
using Songjiang.Enterprises.Api.Domain;
using Songjiang.Persistence;
using System.Text.Json;

namespace Songjiang.Enterprises.Api.Infrastructure;

/// <summary>
/// In the demo profile (<c>Enterprises:DemoData</c>), the profiles of the demo enterprises, so their users find
/// themselves on first sign-in. Adds what is missing.
/// </summary>
public sealed class DemoEnterpriseSeeder(TimeProvider clock) : IDatabaseSeeder<EnterprisesDbContext>
{
    private const string ResourceName = "Songjiang.Enterprises.Api.Seed.demo-enterprises.json";

    /// <inheritdoc />
    public async Task SeedAsync(EnterprisesDbContext db, CancellationToken cancellationToken)
    {
        await using var stream = typeof(DemoEnterpriseSeeder).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Missing embedded seed {ResourceName}.");
        var seeds = await JsonSerializer.DeserializeAsync<List<SeedEnterprise>>(stream, new JsonSerializerOptions(JsonSerializerDefaults.Web), cancellationToken)
            ?? [];
        var existing = await db.Enterprises.Select(e => e.Uscc).ToHashSetAsync(cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var seed in seeds.Where(s => !existing.Contains(s.Uscc)))
        {
            db.Enterprises.Add(new Enterprise
            {
                Uscc = seed.Uscc, Name = seed.Name, LegalRepresentative = seed.LegalRepresentative,
                RegisteredAddress = seed.RegisteredAddress, Location = seed.Location, IndustryCode = seed.IndustryCode,
                RegisteredCapital = seed.RegisteredCapital, FoundedOn = seed.FoundedOn, Employees = seed.Employees,
                AnnualRevenue = seed.AnnualRevenue, RdSpending = seed.RdSpending, IsListed = seed.IsListed,
                ContactPhone = seed.ContactPhone, Stage = LifecycleStage.Operating, CreatedAt = now, UpdatedAt = now,
                Qualifications = seed.Qualifications,
            });
            db.Timeline.Add(new TimelineEntry
            {
                Uscc = seed.Uscc, At = now, Actor = "demo-data", Action = "registered", Summary = $"{seed.Name}登记入库（演示数据）。",
            });
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private sealed record SeedEnterprise(
        string Uscc, string Name, string LegalRepresentative, string RegisteredAddress, string Location, string IndustryCode,
        decimal RegisteredCapital, DateOnly FoundedOn, int Employees, decimal AnnualRevenue, decimal RdSpending, bool IsListed,
        string? ContactPhone, List<Qualification> Qualifications);
}
