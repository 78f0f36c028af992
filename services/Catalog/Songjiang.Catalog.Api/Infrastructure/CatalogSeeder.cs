using Microsoft.EntityFrameworkCore;
using Songjiang.Catalog.Api.Domain;
using Songjiang.Catalog.Api.Features;
using Songjiang.Persistence;
using Songjiang.ServiceDefaults.Problems;
using System.Text.Json;

namespace Songjiang.Catalog.Api.Infrastructure;

/// <summary>
/// Loads the district's matters and bundles from the seed files at first start (as version 1, by "seed").
/// Every entry passes the same validation as an administrator's edit; a bad seed file stops the start.
/// </summary>
public sealed class CatalogSeeder(TimeProvider clock) : IDatabaseSeeder<CatalogDbContext>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    /// <inheritdoc />
    public async Task SeedAsync(CatalogDbContext db, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var knownMatters = await db.Matters.Select(m => m.Code).Distinct().ToHashSetAsync(cancellationToken);
        foreach (var definition in await ReadAsync<MatterDefinition>("matters.json", cancellationToken))
        {
            if (!knownMatters.Contains(definition.Code ?? ""))
            {
                db.Matters.Add(Checked(definition.Code, () => CatalogValidation.ToMatter(definition, version: 1, "seed", now, "由初始事项目录载入。")));
            }
        }
        await db.SaveChangesAsync(cancellationToken);

        var matterCodes = await db.Matters.Select(m => m.Code).Distinct().ToHashSetAsync(cancellationToken);
        var knownBundles = await db.Bundles.Select(b => b.Code).Distinct().ToHashSetAsync(cancellationToken);
        foreach (var definition in await ReadAsync<BundleDefinition>("bundles.json", cancellationToken))
        {
            if (!knownBundles.Contains(definition.Code ?? ""))
            {
                db.Bundles.Add(Checked(definition.Code, () => CatalogValidation.ToBundle(definition, matterCodes, version: 1, "seed", now)));
            }
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private static T Checked<T>(string? code, Func<T> build)
    {
        try
        {
            return build();
        }
        catch (ValidationFailedException invalid)
        {
            var problems = string.Join("; ", invalid.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
            throw new InvalidOperationException($"Seed entry {code} is invalid: {problems}", invalid);
        }
    }

    private static async Task<List<T>> ReadAsync<T>(string file, CancellationToken cancellationToken)
    {
        var name = $"Songjiang.Catalog.Api.Seed.{file}";
        await using var stream = typeof(CatalogSeeder).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Missing embedded seed {name}.");
        return await JsonSerializer.DeserializeAsync<List<T>>(stream, Json, cancellationToken) ?? [];
    }
}
