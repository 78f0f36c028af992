using Songjiang.ServiceDefaults.Time;
using Microsoft.EntityFrameworkCore;
using Songjiang.Enterprises.Api.Domain;
using Songjiang.Enterprises.Api.Infrastructure;

namespace Songjiang.Enterprises.Api.Features;

/// <summary>
/// Enters a credit record and recomputes the rating, with the timeline entry and — when the rating moves — the
/// profile-changed event, in the caller's unit of work. Caseworkers' records and the cases service's broken
/// commitments go through the same path.
/// </summary>
public sealed class CreditLedger(EnterprisesDbContext db, ProfileJournal journal, TimeProvider clock)
{
    /// <summary>Adds the record to a tracked enterprise; the caller saves.</summary>
    public async Task<(CreditRecord Record, CreditView View)> RecordAsync(
        Enterprise enterprise, CreditRecordKind kind, string reason, string? reference, string recordedBy, CancellationToken cancellationToken)
    {
        var today = ChinaTime.Today(clock);
        var record = new CreditRecord
        {
            Uscc = enterprise.Uscc, Kind = kind, Reason = reason, Reference = reference,
            RecordedBy = recordedBy, RecordedAt = clock.GetUtcNow(),
            EffectiveUntil = today.AddDays((int)CreditPolicy.Validity(kind).TotalDays),
        };
        var records = await db.CreditRecords.Where(r => r.Uscc == enterprise.Uscc).ToListAsync(cancellationToken);
        records.Add(record);
        var score = CreditPolicy.Score(records, today);
        var before = enterprise.CreditRating;
        enterprise.CreditRating = CreditPolicy.RatingOf(score);
        db.CreditRecords.Add(record);
        journal.Record(enterprise, recordedBy, "credit-recorded",
            $"信用记录（{KindName(record.Kind)}）：{record.Reason} 信用等级 {before} → {enterprise.CreditRating}。",
            publishedFields: before != enterprise.CreditRating ? ["creditRating"] : null);
        return (record, new CreditView(enterprise.CreditRating, score, CreditPolicy.AllowsCommitmentApproval(enterprise.CreditRating),
            [.. records.OrderByDescending(r => r.RecordedAt)]));
    }

    private static string KindName(CreditRecordKind kind) => kind switch
    {
        CreditRecordKind.BrokenCommitment => "未履行承诺",
        CreditRecordKind.MinorPenalty => "一般行政处罚",
        CreditRecordKind.SeriousPenalty => "严重行政处罚",
        CreditRecordKind.GoodConduct => "守信表彰",
        _ => kind.ToString(),
    };
}
