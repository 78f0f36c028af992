using Songjiang.ServiceDefaults.Authentication;
using Microsoft.EntityFrameworkCore;
using Songjiang.Cases.Api.Domain;
using Songjiang.Cases.Api.Infrastructure;
using Songjiang.ServiceDefaults.Problems;

namespace Songjiang.Cases.Api.Ratings;

/// <summary>Filters of the published statistics: ratings given in [from, to), a department, a matter.</summary>
public sealed record RatingStatisticsQuery(DateTimeOffset? From, DateTimeOffset? To, string? Department, string? Matter);

/// <summary>The figures of one scope (all, a department, a matter).</summary>
/// <param name="Ratings">Ratings that count (an appeal upheld annuls one).</param>
/// <param name="ByGrade">Ratings per grade, by grade code, all five present.</param>
/// <param name="SatisfactionRate">非常满意 + 满意 + 基本满意 over all counted ratings.</param>
/// <param name="Poor">差评 (不满意 and 非常不满意).</param>
/// <param name="PoorRealName">Real-name 差评: each is followed up.</param>
/// <param name="CallBacksOwed">Real-name 差评 whose call-back is done or due by now.</param>
/// <param name="CalledBackOnTime">Of those, called back within one working day.</param>
/// <param name="CallBackOnTimeRate">CalledBackOnTime / CallBacksOwed: the 差评 follow-up on-time rate.</param>
/// <param name="Rectified">Real-name 差评 rectified.</param>
/// <param name="RectifiedOnTime">Of those, within fifteen working days.</param>
/// <param name="RectificationRate">Rectified / PoorRealName (整改率).</param>
/// <param name="Escalated">差评 follow-ups escalated (督办) for being late.</param>
/// <param name="Annulled">Ratings annulled on appeal (not in the other figures).</param>
public sealed record RatingFigures(
    int Ratings, IReadOnlyDictionary<string, int> ByGrade, double? SatisfactionRate, int Poor, int PoorRealName, int CallBacksOwed,
    int CalledBackOnTime, double? CallBackOnTimeRate, int Rectified, int RectifiedOnTime, double? RectificationRate, int Escalated, int Annulled);

/// <summary>A department's figures.</summary>
public sealed record DepartmentRatingFigures(string Department, RatingFigures Figures);

/// <summary>A matter's figures.</summary>
public sealed record MatterRatingFigures(string MatterCode, string Name, string Department, RatingFigures Figures);

/// <summary>The published 好差评 statistics.</summary>
public sealed record RatingStatistics(
    DateTimeOffset? From, DateTimeOffset? To, string? Department, string? Matter, DateTimeOffset ComputedAt, RatingFigures Total,
    IReadOnlyList<DepartmentRatingFigures> Departments, IReadOnlyList<MatterRatingFigures> Matters);

/// <summary>Computes the published statistics from the ratings (政务服务评价信息公开).</summary>
public sealed class RatingStatisticsReader(CasesDbContext db, TimeProvider clock)
{
    /// <summary>Reads the figures for the filters.</summary>
    public async Task<RatingStatistics> ReadAsync(RatingStatisticsQuery query, CancellationToken cancellationToken)
    {
        if (query.From > query.To)
        {
            throw new ValidationFailedException("from", "起始时间不能晚于截止时间。");
        }
        var ratings = db.Ratings.AsNoTracking();
        if (query.From is { } from)
        {
            ratings = ratings.Where(r => r.RatedAt >= from);
        }
        if (query.To is { } to)
        {
            ratings = ratings.Where(r => r.RatedAt < to);
        }
        if (!string.IsNullOrWhiteSpace(query.Department))
        {
            ratings = ratings.Where(r => r.Department == query.Department);
        }
        if (!string.IsNullOrWhiteSpace(query.Matter))
        {
            ratings = ratings.Where(r => r.MatterCode == query.Matter);
        }
        // Only the columns the figures need: no comment, no applicant, nothing personal leaves the query.
        var rows = await ratings.Select(r => new Row(
            r.Department, r.MatterCode, r.MatterName, r.Grade, r.RealName, r.Appeal, r.CallBackDueAt, r.CalledBackAt,
            r.RectificationDueAt, r.RectifiedAt, r.CallBackEscalatedAt != null || r.RectificationEscalatedAt != null))
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        return new RatingStatistics(
            query.From, query.To, query.Department, query.Matter, now, Figures(rows, now),
            [.. rows.GroupBy(r => r.Department).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new DepartmentRatingFigures(g.Key, Figures([.. g], now)))],
            [.. rows.GroupBy(r => (Code: r.MatterCode ?? "benefit", r.MatterName, r.Department)).OrderBy(g => g.Key.Code, StringComparer.Ordinal)
                .Select(g => new MatterRatingFigures(g.Key.Code, g.Key.MatterName, g.Key.Department, Figures([.. g], now)))]);
    }

    private sealed record Row(
        string Department, string? MatterCode, string MatterName, RatingGrade Grade, bool RealName, AppealStatus Appeal,
        DateTimeOffset? CallBackDueAt, DateTimeOffset? CalledBackAt, DateTimeOffset? RectificationDueAt, DateTimeOffset? RectifiedAt, bool Escalated);

    private static RatingFigures Figures(List<Row> all, DateTimeOffset now)
    {
        var counted = all.Where(r => r.Appeal != AppealStatus.Upheld).ToList();
        var byGrade = RatingCatalogue.Grades.ToDictionary(g => g.Code, g => counted.Count(r => r.Grade == g.Grade));
        var satisfied = counted.Count(r => !Rating.IsPoor(r.Grade));
        var poor = counted.Where(r => Rating.IsPoor(r.Grade)).ToList();
        var followed = poor.Where(r => r.RealName).ToList();
        var owed = followed.Where(r => r.CalledBackAt is not null || r.CallBackDueAt <= now).ToList();
        var onTime = owed.Count(r => r.CalledBackAt is { } at && (r.CallBackDueAt is not { } due || at <= due));
        var rectified = followed.Where(r => r.RectifiedAt is not null).ToList();
        var rectifiedOnTime = rectified.Count(r => r.RectificationDueAt is not { } due || r.RectifiedAt <= due);
        return new RatingFigures(
            counted.Count, byGrade, Rate(satisfied, counted.Count), poor.Count, followed.Count, owed.Count, onTime, Rate(onTime, owed.Count),
            rectified.Count, rectifiedOnTime, Rate(rectified.Count, followed.Count), followed.Count(r => r.Escalated), all.Count - counted.Count);
    }

    private static double? Rate(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);
}
