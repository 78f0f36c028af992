using Microsoft.EntityFrameworkCore;
using Songjiang.Enterprises.Api.Domain;
using Songjiang.Enterprises.Api.Features;
using Songjiang.Enterprises.Api.Infrastructure;
using Songjiang.Enterprises.Api.IntegrationEvents.Events;
using Songjiang.EventBus;

namespace Songjiang.Enterprises.Api.IntegrationEvents.EventHandling;

/// <summary>
/// A commitment (告知承诺) found broken in post-approval verification becomes a broken-commitment credit record of the
/// applicant, once per application (<see cref="CommitmentBreach"/>), inside the inbox transaction.
/// </summary>
public sealed class CommitmentBrokenHandler(EnterprisesDbContext db, CreditLedger ledger, TimeProvider clock, ILogger<CommitmentBrokenHandler> logger)
    : IIntegrationEventHandler<CommitmentBrokenIntegrationEvent>
{
    private const int MaxReason = 500;

    /// <inheritdoc />
    public async Task Handle(CommitmentBrokenIntegrationEvent evt, CancellationToken ct)
    {
        if (await db.CommitmentBreaches.AsNoTracking().AnyAsync(b => b.ApplicationId == evt.ApplicationId, ct))
        {
            logger.LogInformation("The broken commitment of application {Number} is already recorded (event {EventId})", evt.ApplicationNumber, evt.Id);
            return;
        }
        var uscc = evt.ApplicantUscc?.Trim().ToUpperInvariant();
        var enterprise = uscc is null ? null : await db.Enterprises.SingleOrDefaultAsync(e => e.Uscc == uscc, ct);
        if (enterprise is null)
        {
            logger.LogWarning("Application {Number} broke its commitment (event {EventId}), but its applicant {Uscc} is not an enterprise here; nothing recorded",
                evt.ApplicationNumber, evt.Id, uscc ?? "(none)");
            return;
        }

        var matter = evt.MatterName ?? evt.MatterCode ?? $"申请 {evt.ApplicationNumber}";
        var reason = string.IsNullOrWhiteSpace(evt.Note)
            ? $"告知承诺核查不实（{matter}）。"
            : $"告知承诺核查不实（{matter}）：{evt.Note.Trim()}";
        if (reason.Length > MaxReason)
        {
            reason = reason[..MaxReason];
        }
        var (record, view) = await ledger.RecordAsync(enterprise, CreditRecordKind.BrokenCommitment, reason, evt.ApplicationNumber,
            string.IsNullOrWhiteSpace(evt.VerifiedBy) ? "cases" : evt.VerifiedBy, ct);
        db.CommitmentBreaches.Add(new CommitmentBreach
        {
            ApplicationId = evt.ApplicationId, Uscc = enterprise.Uscc, CreditRecordId = record.Id, RecordedAt = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Application {Number} broke its commitment (event {EventId}): {Uscc} rated {Rating}",
            evt.ApplicationNumber, evt.Id, enterprise.Uscc, view.Rating);
    }
}
