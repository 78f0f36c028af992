using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Songjiang.Licenses.Api.Domain;
using Songjiang.Licenses.Api.Extensions;
using Songjiang.Licenses.Api.Sealing;
using Songjiang.Persistence;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Songjiang.Licenses.Api.Infrastructure;

/// <summary>
/// Seeds the issuing authorities and licence types from <c>Seed/licence-catalogue.json</c>, and in the embedded key
/// mode gives every authority its first SM2 key. Adds what is missing and leaves what exists, so it runs on every start.
/// </summary>
public sealed class CatalogueSeeder(SealKeyStore keys, IOptions<LicensesOptions> options, ILogger<CatalogueSeeder> logger)
    : IDatabaseSeeder<LicensesDbContext>
{
    private const string ResourceName = "Songjiang.Licenses.Api.Seed.licence-catalogue.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <inheritdoc />
    public async Task SeedAsync(LicensesDbContext db, CancellationToken cancellationToken)
    {
        var catalogue = Load();
        var authorities = await db.Authorities.Select(a => a.Code).ToHashSetAsync(cancellationToken);
        db.Authorities.AddRange(catalogue.Authorities.Where(a => !authorities.Contains(a.Code)));
        var types = await db.LicenceTypes.Select(t => t.Code).ToHashSetAsync(cancellationToken);
        db.LicenceTypes.AddRange(catalogue.Types.Where(t => !types.Contains(t.Code)).Select(t => new LicenceType
        {
            Code = t.Code,
            NationalTypeCode = t.NationalTypeCode,
            NumberPrefix = t.NumberPrefix,
            Name = t.Name,
            EnglishName = t.EnglishName,
            AuthorityCode = t.Authority,
            ValidityYears = t.ValidityYears,
            Fields = t.Fields,
        }));
        await db.SaveChangesAsync(cancellationToken);
        await BackfillNationalIdentifiersAsync(db, catalogue, cancellationToken);

        if (options.Value.KeyMode != SealKeyMode.Embedded)
        {
            return;
        }
        if (await keys.RewrapLegacyKeysAsync(cancellationToken) is > 0 and var rewrapped)
        {
            logger.LogInformation("Rewrapped {Count} sealing key(s) with the key-encryption key", rewrapped);
        }
        foreach (var authority in catalogue.Authorities)
        {
            if (await keys.EnsureKeyAsync(authority.Code, cancellationToken))
            {
                logger.LogInformation("Generated the first SM2 sealing key of {Authority} ({Code})", authority.Name, authority.Code);
            }
        }
    }

    // Types stored before national type codes existed take theirs from the catalogue; licences issued before
    // identifiers existed get theirs (derived from the licence alone, so a second run or a second replica computes
    // the same value and a run that finds none missing writes nothing).
    private async Task BackfillNationalIdentifiersAsync(LicensesDbContext db, Catalogue catalogue, CancellationToken cancellationToken)
    {
        var codes = catalogue.Types.ToDictionary(t => t.Code, t => t.NationalTypeCode, StringComparer.Ordinal);
        foreach (var type in await db.LicenceTypes.Where(t => t.NationalTypeCode == null).ToListAsync(cancellationToken))
        {
            type.NationalTypeCode = codes.GetValueOrDefault(type.Code);
        }
        await db.SaveChangesAsync(cancellationToken);

        var typeCodes = await db.LicenceTypes.AsNoTracking().Where(t => t.NationalTypeCode != null)
            .ToDictionaryAsync(t => t.Code, t => t.NationalTypeCode!, cancellationToken);
        var assigned = 0;
        while (true)
        {
            var batch = await db.Licences.Where(l => l.NationalIdentifier == null && typeCodes.Keys.Contains(l.TypeCode))
                .OrderBy(l => l.Id).Take(500).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }
            foreach (var licence in batch)
            {
                licence.AssignNationalIdentifier(typeCodes[licence.TypeCode]);
            }
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            assigned += batch.Count;
        }
        if (assigned > 0)
        {
            logger.LogInformation("Gave {Count} earlier licences their national identifiers (GB/T 36904)", assigned);
        }
    }

    private static Catalogue Load()
    {
        using var stream = typeof(CatalogueSeeder).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Missing embedded resource {ResourceName}.");
        var catalogue = JsonSerializer.Deserialize<Catalogue>(stream, Json)
            ?? throw new InvalidOperationException("The licence catalogue is empty.");
        var codes = catalogue.Authorities.Select(a => a.Code).ToHashSet(StringComparer.Ordinal);
        var orphan = catalogue.Types.FirstOrDefault(t => !codes.Contains(t.Authority));
        if (orphan is not null)
        {
            throw new InvalidOperationException($"Licence type {orphan.Code} names unknown authority {orphan.Authority}.");
        }
        var uncoded = catalogue.Types.FirstOrDefault(t => string.IsNullOrEmpty(t.NationalTypeCode) || !t.NationalTypeCode.All(char.IsAsciiLetterOrDigit));
        return uncoded is null
            ? catalogue
            : throw new InvalidOperationException($"Licence type {uncoded.Code} needs a national type code of digits and capital letters.");
    }

    private sealed record Catalogue(List<IssuingAuthority> Authorities, List<TypeEntry> Types);

    private sealed record TypeEntry(
        string Code, string NationalTypeCode, string NumberPrefix, string Name, string EnglishName, string Authority, int? ValidityYears, List<LicenceFieldDefinition> Fields);
}
