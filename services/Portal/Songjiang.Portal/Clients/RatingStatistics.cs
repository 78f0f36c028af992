namespace Songjiang.Portal.Clients;

/// <summary>好差评 by grade (5 非常满意 … 1 非常不满意) as far as the platform reports it.</summary>
/// <param name="Rated">Ratings given.</param>
/// <param name="Average">The average grade.</param>
/// <param name="ByGrade">Count per grade (1–5) where known; null when only the 差评 count is reported.</param>
/// <param name="Poor">差评 (grades 1 and 2).</param>
public sealed record RatingDistribution(int Rated, double? Average, IReadOnlyDictionary<int, int>? ByGrade, int Poor);

/// <summary>
/// Where the dashboard's 好差评 figures come from: today the cases service's metrics (ratings given, average and 差评
/// count). A richer statistics API (grades, the steps behind poor ratings) replaces the body of <see cref="LoadAsync"/>
/// and nothing else.
/// </summary>
public static class RatingStatistics
{
    /// <summary>The distribution for the caller's scope, from the case metrics already loaded for the page.</summary>
    public static Task<RatingDistribution> LoadAsync(PlatformApi api, CaseMetrics metrics, CancellationToken cancellationToken = default)
    {
        _ = api;
        _ = cancellationToken;
        return Task.FromResult(new RatingDistribution(metrics.Rated, metrics.AverageRating, null, metrics.PoorRatings));
    }
}
