using Microsoft.EntityFrameworkCore;
using Songjiang.Enterprises.Api.Domain;
using Songjiang.Enterprises.Api.Infrastructure;
using Songjiang.Enterprises.Api.IntegrationEvents.Events;
using Songjiang.EventBus;
using Songjiang.SharedKernel;

namespace Songjiang.Enterprises.Api.Features;

/// <summary>
/// 设立 → 运营 → 变更 → 注销中 → 已注销, driven by what cases and licences report. Each step writes the timeline and
/// publishes the profile change through the outbox; a step that no longer applies (the enterprise is already past
/// it) is skipped, so out-of-order and repeated events do no harm.
/// </summary>
public sealed class EnterpriseLifecycle(
    EnterprisesDbContext db, ProfileJournal journal, CreditCodeRegister register, IOutbox<EnterprisesDbContext> outbox, TimeProvider clock)
{
    /// <summary>
    /// An approved establishment registers the enterprise in 设立 under a code the register mints, from the registered
    /// details the approval carries, and announces the registration. A repeated approval registers nothing more.
    /// </summary>
    public async Task EstablishAsync(ApplicationApprovedV2IntegrationEvent approved, RegisteredDetails details, CancellationToken cancellationToken)
    {
        if (await db.Timeline.AnyAsync(t => t.Action == "established" && t.Actor == EstablishedBy(approved), cancellationToken))
        {
            return;
        }
        var code = await register.NextAsync(G60Cities.Songjiang.Code, cancellationToken);
        var now = clock.GetUtcNow();
        var enterprise = new Enterprise
        {
            Uscc = code.Value,
            Name = details.Name ?? approved.ApplicantName ?? code.Value,
            LegalRepresentative = details.LegalRepresentative ?? "",
            RegisteredAddress = details.RegisteredAddress ?? "",
            Location = Locations.IsKnown(details.Location) ? details.Location! : Locations.SongjiangUnits.Keys.First(),
            IndustryCode = details.IndustryCode ?? "Z",
            RegisteredCapital = details.RegisteredCapital ?? 0,
            FoundedOn = approved.ApprovedOn,
            Stage = LifecycleStage.Establishing,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Enterprises.Add(enterprise);
        journal.Record(enterprise, EstablishedBy(approved), "established", $"依设立登记申请 {approved.ApplicationNumber} 登记设立。", ["stage"]);
        outbox.Add(new EnterpriseRegisteredIntegrationEvent(
            enterprise.Uscc, enterprise.Name, approved.ApplicationNumber, enterprise.LegalRepresentative, enterprise.RegisteredAddress,
            approved.SubmittedBy, approved.ApprovedOn));
        await db.SaveChangesAsync(cancellationToken);
    }

    // The establishment's timeline actor names its application, which makes a repeated approval recognisable.
    private static string EstablishedBy(ApplicationApprovedV2IntegrationEvent approved) => $"application:{approved.ApplicationNumber}";

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
        Record(enterprise, "stage-changed", $"变更登记申请 {submitted.ApplicationNumber} 已提交，企业进入变更中。", ["stage"]);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// An approval's effect on the register, as the approval declares it: establishment registers the enterprise, a
    /// change applies the new registered details, deregistration closes the profile.
    /// </summary>
    public async Task ApplicationApprovedAsync(ApplicationApprovedV2IntegrationEvent approved, CancellationToken cancellationToken)
    {
        if (approved.Registration is not { } registration)
        {
            if (approved.BundleCode == LifecycleMatters.DeregistrationBundle)
            {
                await WindingUpAsync(approved, cancellationToken);
            }
            return;
        }
        if (registration.Effect == RegistrationEffects.Establish)
        {
            await EstablishAsync(approved, registration.Details, cancellationToken);
            return;
        }
        if (await FindAsync(registration.Uscc ?? approved.ApplicantUscc, cancellationToken) is not { } enterprise || enterprise.Stage == LifecycleStage.Deregistered)
        {
            return;
        }
        if (registration.Effect == RegistrationEffects.Deregister)
        {
            enterprise.Stage = LifecycleStage.Deregistered;
            Record(enterprise, "deregistered", $"依注销登记申请 {approved.ApplicationNumber} 已注销。", ["stage"]);
        }
        else if (registration.Effect == RegistrationEffects.Change)
        {
            var details = registration.Details;
            var applied = new ProfileChanges(enterprise)
                .Set("name", details.Name, e => e.Name, (e, v) => e.Name = (string)v)
                .Set("legalRepresentative", details.LegalRepresentative, e => e.LegalRepresentative, (e, v) => e.LegalRepresentative = (string)v)
                .Set("registeredAddress", details.RegisteredAddress, e => e.RegisteredAddress, (e, v) => e.RegisteredAddress = (string)v)
                .Set("registeredCapital", details.RegisteredCapital, e => e.RegisteredCapital, (e, v) => e.RegisteredCapital = (decimal)v)
                .Set("location", Locations.IsKnown(details.Location) ? details.Location : null, e => e.Location, (e, v) => e.Location = (string)v)
                .Set("industryCode", details.IndustryCode, e => e.IndustryCode, (e, v) => e.IndustryCode = (string)v);
            enterprise.Stage = LifecycleStage.Operating;
            Record(enterprise, "changed", $"变更登记申请 {approved.ApplicationNumber} 已核准，变更了{ProfileJournal.FieldNames(applied.Changed.Keys)}。", [.. applied.Changed.Keys, "stage"], applied.ToJson());
        }
        else
        {
            return;
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    // The first approved step of 企业注销一件事 (tax clearance, social insurance, …) starts the winding up: a filing is a
    // claim, an approval a department's decision.
    private async Task WindingUpAsync(ApplicationApprovedV2IntegrationEvent approved, CancellationToken cancellationToken)
    {
        if (await FindAsync(approved.ApplicantUscc, cancellationToken) is not { } enterprise
            || enterprise.Stage is LifecycleStage.Deregistering or LifecycleStage.Deregistered)
        {
            return;
        }
        enterprise.Stage = LifecycleStage.Deregistering;
        Record(enterprise, "stage-changed", $"办件 {approved.ApplicationNumber} 已批准，企业进入注销中。", ["stage"]);
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
        Record(enterprise, "stage-changed", $"办件 {rejected.ApplicationNumber} 未获批准（{rejected.Reason}），企业恢复正常经营。", ["stage"]);
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
        Record(enterprise, "licence-issued", $"证照 {issued.LicenceNumber} 已签发。", fields);
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
        var what = changed.Status == "revoked" ? "撤销" : "暂停";
        Record(enterprise, "licence-" + changed.Status, $"证照 {changed.LicenceNumber} 已{what}：{changed.Reason}", ["qualifications"]);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<Enterprise?> FindAsync(string? uscc, CancellationToken cancellationToken)
    {
        if (uscc is null)
        {
            return null;
        }

        var normalized = uscc.ToUpperInvariant();
        return await db.Enterprises.SingleOrDefaultAsync(e => e.Uscc == normalized, cancellationToken);
    }

    private void Record(Enterprise enterprise, string action, string summary, IReadOnlyList<string> fields, string? changes = null) =>
        journal.Record(enterprise, "event", action, summary, fields, changes);
}
