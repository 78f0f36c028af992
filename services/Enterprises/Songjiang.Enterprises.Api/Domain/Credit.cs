namespace Songjiang.Enterprises.Api.Domain;

/// <summary>What a credit record says about an enterprise (事前、事中、事后 supervision).</summary>
public enum CreditRecordKind
{
    /// <summary>A commitment (告知承诺) found untrue in post-approval verification.</summary>
    BrokenCommitment,

    /// <summary>A minor administrative penalty.</summary>
    MinorPenalty,

    /// <summary>A serious administrative penalty.</summary>
    SeriousPenalty,

    /// <summary>A good-conduct record (守信激励).</summary>
    GoodConduct,
}

/// <summary>One entry behind the rating.</summary>
public sealed class CreditRecord
{
    /// <summary>Id.</summary>
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>The enterprise.</summary>
    public required string Uscc { get; init; }

    /// <summary>Kind.</summary>
    public CreditRecordKind Kind { get; init; }

    /// <summary>Why, in the recording authority's words.</summary>
    public required string Reason { get; init; }

    /// <summary>Where it came from: a case number, a decision number.</summary>
    public string? Reference { get; init; }

    /// <summary>Who recorded it.</summary>
    public required string RecordedBy { get; init; }

    /// <summary>When.</summary>
    public DateTimeOffset RecordedAt { get; init; }

    /// <summary>After this day the record no longer counts (信用修复).</summary>
    public DateOnly EffectiveUntil { get; init; }
}

/// <summary>
/// The rating rule: a score starts at 100 and each record in effect moves it; the score maps to A–D. A broken
/// commitment costs a full grade, so an A enterprise becomes B and a second one bars it (C) from
/// commitment-based approval.
/// </summary>
public static class CreditPolicy
{
    /// <summary>How long a record counts, by kind.</summary>
    public static TimeSpan Validity(CreditRecordKind kind) => kind switch
    {
        CreditRecordKind.GoodConduct => TimeSpan.FromDays(365),
        CreditRecordKind.MinorPenalty => TimeSpan.FromDays(365),
        _ => TimeSpan.FromDays(3 * 365),
    };

    /// <summary>Points a record moves the score by.</summary>
    public static int Points(CreditRecordKind kind) => kind switch
    {
        CreditRecordKind.BrokenCommitment => -20,
        CreditRecordKind.MinorPenalty => -10,
        CreditRecordKind.SeriousPenalty => -40,
        CreditRecordKind.GoodConduct => 5,
        _ => 0,
    };

    /// <summary>The score of the records in effect on a day (at most 100).</summary>
    public static int Score(IEnumerable<CreditRecord> records, DateOnly today) =>
        Math.Min(100, 100 + records.Where(r => r.EffectiveUntil >= today).Sum(r => Points(r.Kind)));

    /// <summary>The rating for a score.</summary>
    public static CreditRating RatingOf(int score) => score switch
    {
        >= 90 => CreditRating.A,
        >= 70 => CreditRating.B,
        >= 50 => CreditRating.C,
        _ => CreditRating.D,
    };

    /// <summary>Whether a rating allows commitment-based approval (告知承诺制).</summary>
    public static bool AllowsCommitmentApproval(CreditRating rating) => rating is CreditRating.A or CreditRating.B;
}
