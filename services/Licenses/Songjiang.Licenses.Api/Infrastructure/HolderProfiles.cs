using Microsoft.EntityFrameworkCore;
using Songjiang.Licenses.Api.Domain;
using Songjiang.Licenses.Api.Issuance;

namespace Songjiang.Licenses.Api.Infrastructure;

/// <summary>The read model of holders' registered details: applies a newer copy and releases what waited for it.</summary>
public sealed class HolderProfiles(LicensesDbContext db, ApprovalIssuance issuance)
{
    /// <summary>Applies a profile unless the one held is newer; returns how many waiting licences it issued.</summary>
    public async Task<int> ApplyAsync(
        string uscc, string? name, string? legalRepresentative, string? registeredAddress, string? registeredOnApplication,
        DateTimeOffset changedAt, CancellationToken cancellationToken)
    {
        var key = uscc.ToUpperInvariant();
        var profile = db.HolderProfiles.Local.FirstOrDefault(p => p.Uscc == key)
            ?? await db.HolderProfiles.FirstOrDefaultAsync(p => p.Uscc == key, cancellationToken);
        if (profile is null)
        {
            profile = new HolderProfile { Uscc = key };
            db.HolderProfiles.Add(profile);
        }
        else if (profile.UpdatedAt > changedAt)
        {
            profile.RegisteredOnApplication ??= registeredOnApplication;
            await db.SaveChangesAsync(cancellationToken);
            return 0;
        }
        profile.Name = name ?? profile.Name;
        profile.LegalRepresentative = legalRepresentative ?? profile.LegalRepresentative;
        profile.RegisteredAddress = registeredAddress ?? profile.RegisteredAddress;
        profile.RegisteredOnApplication ??= registeredOnApplication;
        profile.UpdatedAt = changedAt.ToUniversalTime(); // Npgsql stores timestamptz only at offset zero.
        await db.SaveChangesAsync(cancellationToken);
        var issued = await issuance.ReleaseAsync(profile, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return issued;
    }
}
