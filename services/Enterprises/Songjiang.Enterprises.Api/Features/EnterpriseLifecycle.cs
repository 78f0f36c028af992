using Microsoft.EntityFrameworkCore;
using Songjiang.Enterprises.Api.Domain;
using Songjiang.Enterprises.Api.Infrastructure;
using Songjiang.Enterprises.Api.IntegrationEvents.Events;
using System.Text.Json;

namespace Songjiang.Enterprises.Api.Features;

/// <summary>
/// 设立 → 运营 → 变更 → 注销中 → 已注销, driven by what cases and licences report. Each step writes the timeline and
/// publishes the profile change through the outbox; a step that no longer applies (the enterprise is already past
/// it) is skipped, so out-of-order and repeated events do no harm.
/// </summary>
public sealed class EnterpriseLifecycle(
    EnterprisesDbContext db, ProfileJournal journal, TimeProvider clock, ILogger<EnterpriseLifecycle> logger)
{
    /// <summary>An approved establishment creates the enterprise in 设立.</summary>
    public async Task EstablishAsync(ApplicationApprovedIntegrationEvent approved, CancellationToken cancellationToken)
    {
        var uscc = approved.AssignedUscc;
        if (uscc is null || !SharedKernel.UnifiedSocialCreditCode.TryParse(uscc, out var code, out var error))
        {
            logger.LogWarning("Establishment {Application} carries no valid assigned USCC ({Error}); nothing created", approved.ApplicationNumber, uscc);
            return;
        }
        if (await db.Enterprises.AnyAsync(e => e.Uscc == code.Value.Value, cancellationToken))
        {
            return;
        }
        var form = approved.Form;
        var now = clock.GetUtcNow();
        var enterprise = new Enterprise
        {
            Uscc = code.Value.Value,
            Name = Text(form, "companyName") ?? code.Value.Value,
            LegalRepresentative = Text(form, "legalRepresentative") ?? "",
            RegisteredAddress = Text(form, "registeredAddress") ?? "",
            Location = Locations.IsKnown(Text(form, "location")) ? Text(form, "location")! : Locations.SongjiangUnits.Keys.First(),
            IndustryCode = Text(form, "industryCode") ?? "Z",
            RegisteredCapital = Number(form, "registeredCapital") ?? 0,
            FoundedOn = DateOnly.FromDateTime(now.UtcDateTime),
            Stage = LifecycleStage.Establishing,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Enterprises.Add(enterprise);
        Record(enterprise, "established", $"Established by application {approved.ApplicationNumber}.", ["stage"]);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// A submitted change moves the enterprise to 变更. Filing a deregistration changes nothing: only an approval
    /// does (a filing is a claim, an approval a department's decision).
    /// </summary>
    public async Task ApplicationSubmittedAsync(ApplicationSubmittedIntegrationEvent submitted, CancellationToken cancellationToken)
    {
        var target = submitted.MatterCode == LifecycleMatters.Change ? LifecycleStage.Changing : (LifecycleStage?)null;
        if (target is null || await FindAsync(submitted.ApplicantUscc, cancellationToken) is not { } enterprise
            || enterprise.Stage is LifecycleStage.Deregistering or LifecycleStage.Deregistered || enterprise.Stage == target)
        {
            return;
        }
        enterprise.Stage = target.Value;
        Record(enterprise, "stage-changed", $"Application {submitted.ApplicationNumber} submitted: now {target}.", ["stage"]);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>An approved change applies the new registered details; an approved deregistration closes the profile.</summary>
    public async Task ApplicationApprovedAsync(ApplicationApprovedIntegrationEvent approved, CancellationToken cancellationToken)
    {
        if (approved.MatterCode == LifecycleMatters.Establishment)
        {
            await EstablishAsync(approved, cancellationToken);
            return;
        }
        if (await FindAsync(approved.ApplicantUscc, cancellationToken) is not { } enterprise || enterprise.Stage == LifecycleStage.Deregistered)
        {
            return;
        }
        if (approved.MatterCode == LifecycleMatters.Deregistration)
        {
            enterprise.Stage = LifecycleStage.Deregistered;
            Record(enterprise, "deregistered", $"Deregistered by application {approved.ApplicationNumber}.", ["stage"]);
        }
        else if (approved.BundleCode == LifecycleMatters.DeregistrationBundle)
        {
            // The first approved step of 企业注销一件事 (tax clearance, social insurance, …) starts the winding up.
            if (enterprise.Stage == LifecycleStage.Deregistering)
            {
                return;
            }
            enterprise.Stage = LifecycleStage.Deregistering;
            Record(enterprise, "stage-changed", $"Application {approved.ApplicationNumber} approved: now {LifecycleStage.Deregistering}.", ["stage"]);
        }
        else if (approved.MatterCode == LifecycleMatters.Change && approved.Form.TryGetProperty("changes", out var changes))
        {
            var applied = new ProfileChanges(enterprise)
                .Set("name", Text(changes, "name"), e => e.Name, (e, v) => e.Name = (string)v)
                .Set("legalRepresentative", Text(changes, "legalRepresentative"), e => e.LegalRepresentative, (e, v) => e.LegalRepresentative = (string)v)
                .Set("registeredAddress", Text(changes, "registeredAddress"), e => e.RegisteredAddress, (e, v) => e.RegisteredAddress = (string)v)
                .Set("registeredCapital", Number(changes, "registeredCapital"), e => e.RegisteredCapital, (e, v) => e.RegisteredCapital = (decimal)v)
                .Set("location", Locations.IsKnown(Text(changes, "location")) ? Text(changes, "location") : null, e => e.Location, (e, v) => e.Location = (string)v)
                .Set("industryCode", Text(changes, "industryCode"), e => e.IndustryCode, (e, v) => e.IndustryCode = (string)v);
            enterprise.Stage = LifecycleStage.Operating;
            Record(enterprise, "changed", $"Change registration {approved.ApplicationNumber} approved.", [.. applied.Changed.Keys, "stage"], applied.ToJson());
        }
        else
        {
            return;
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A rejected change or deregistration returns the enterprise to 运营.</summary>
    public async Task ApplicationRejectedAsync(ApplicationRejectedIntegrationEvent rejected, CancellationToken cancellationToken)
    {
        if (await FindAsync(rejected.ApplicantUscc, cancellationToken) is not { } enterprise
            || enterprise.Stage is not (LifecycleStage.Changing or LifecycleStage.Deregistering))
        {
            return;
        }
        enterprise.Stage = LifecycleStage.Operating;
        Record(enterprise, "stage-changed", $"Application {rejected.ApplicationNumber} rejected ({rejected.Reason}): back to Operating.", ["stage"]);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>An issued licence becomes a qualification; the business licence completes establishment.</summary>
    public async Task LicenceIssuedAsync(LicenceIssuedIntegrationEvent issued, CancellationToken cancellationToken)
    {
        if (await FindAsync(issued.HolderUscc, cancellationToken) is not { } enterprise
            || enterprise.Qualifications.Any(q => q.CertificateNumber == issued.LicenceNumber))
        {
            return;
        }
        enterprise.Qualifications.Add(new Qualification
        {
            Kind = LifecycleMatters.LicenceQualificationPrefix + issued.TypeCode,
            CertificateNumber = issued.LicenceNumber,
            ValidFrom = issued.ValidFrom,
            ValidUntil = issued.ValidUntil ?? DateOnly.MaxValue,
        });
        List<string> fields = ["qualifications"];
        if (issued.TypeCode == LifecycleMatters.BusinessLicence && enterprise.Stage == LifecycleStage.Establishing)
        {
            enterprise.Stage = LifecycleStage.Operating;
            fields.Add("stage");
        }
        Record(enterprise, "licence-issued", $"Licence {issued.LicenceNumber} ({issued.TypeCode}) issued.", fields);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A revoked or suspended licence no longer counts as a qualification.</summary>
    public async Task LicenceStatusChangedAsync(LicenceStatusChangedIntegrationEvent changed, CancellationToken cancellationToken)
    {
        if (changed.Status is not ("revoked" or "suspended")
            || await FindAsync(changed.HolderUscc, cancellationToken) is not { } enterprise
            || enterprise.Qualifications.FirstOrDefault(q => q.CertificateNumber == changed.LicenceNumber) is not { } qualification)
        {
            return;
        }
        enterprise.Qualifications.Remove(qualification);
        Record(enterprise, "licence-" + changed.Status, $"Licence {changed.LicenceNumber} {changed.Status}: {changed.Reason}", ["qualifications"]);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<Enterprise?> FindAsync(string? uscc, CancellationToken cancellationToken) =>
        uscc is null ? null : await db.Enterprises.SingleOrDefaultAsync(e => e.Uscc == uscc.ToUpperInvariant(), cancellationToken);

    private void Record(Enterprise enterprise, string action, string summary, IReadOnlyList<string> fields, string? changes = null) =>
        journal.Record(enterprise, "event", action, summary, fields, changes);

    private static string? Text(JsonElement form, string name) =>
        form.ValueKind == JsonValueKind.Object && form.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()?.Trim()
            : null;

    private static decimal? Number(JsonElement form, string name) =>
        // A number beyond decimal's range (1e30) is as good as absent, never a failed event.
        form.ValueKind == JsonValueKind.Object && form.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetDecimal(out var number)
            ? number
            : null;
}
