using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Songjiang.Cases.Api.Domain;
using Songjiang.Cases.Api.Infrastructure;
using Songjiang.ServiceDefaults.Authentication;
using Songjiang.ServiceDefaults.Problems;
using Songjiang.ServiceDefaults.Time;

namespace Songjiang.Cases.Api.Features;

/// <summary>Figures a service-centre dashboard needs: volumes per matter and status, timeliness, visits avoided, ratings.</summary>
public static class MetricsApi
{
    /// <summary>Visits an application avoids when nobody has to come to a window: one to submit, one to collect the result.</summary>
    public const int VisitsPerWindowApplication = 2;

    /// <summary>Maps <c>GET /api/cases/metrics</c>.</summary>
    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/cases/metrics", GetAsync).WithName("CaseMetrics").WithTags("Metrics")
            .RequireAuthorization(PlatformPolicies.Authenticated)
            .WithSummary("Applications per matter and status, on-time completion rate, average working days, visits avoided and ratings (caseworkers: their department).");
        return endpoints;
    }

    /// <summary>Filters: submitted on China calendar days <c>from</c> to <c>to</c> (both included), a department (administrators).</summary>
    public sealed record MetricsQuery(DateOnly? From, DateOnly? To, string? Department);

    /// <summary>Counts for one matter.</summary>
    public sealed record MatterMetrics(string MatterCode, string Name, int Total, IReadOnlyDictionary<string, int> ByStatus);

    /// <summary>The dashboard figures.</summary>
    public sealed record CaseMetrics(
        string? Department, DateOnly? From, DateOnly? To, int Applications, int Completed, int CompletedOnTime,
        double? OnTimeRate, double? AverageWorkingDays, int VisitsAvoided, int Rated, double? AverageRating, int PoorRatings,
        IReadOnlyList<MatterMetrics> Matters);

    private static async Task<Ok<CaseMetrics>> GetAsync(
        [AsParameters] MetricsQuery query, ClaimsPrincipal user, CasesDbContext db, CancellationToken cancellationToken)
    {
        var caller = new Caller(user);
        string? department;
        if (caller.IsAdmin)
        {
            department = string.IsNullOrWhiteSpace(query.Department) ? null : query.Department;
        }
        else if (caller.IsCaseworker)
        {
            department = caller.Department;
        }
        else
        {
            throw new ForbiddenException("办件统计仅对工作人员和管理员开放。");
        }
        if (query.From > query.To)
        {
            throw new ValidationFailedException("from", "起始日期不能晚于截止日期。");
        }

        // Matter applications and bundle children count; a bundle parent only groups its children.
        var applications = db.Applications.AsNoTracking().Where(a => a.Kind != ApplicationKind.Bundle);
        if (department is not null)
        {
            applications = applications.Where(a => a.Department == department);
        }
        // China calendar days: a day runs from its midnight +08:00 to the next.
        if (query.From is { } fromDay)
        {
            var from = ChinaTime.StartOf(fromDay);
            applications = applications.Where(a => a.SubmittedAt >= from);
        }
        if (query.To is { } toDay)
        {
            var to = ChinaTime.StartOf(toDay.AddDays(1));
            applications = applications.Where(a => a.SubmittedAt < to);
        }

        var groups = await applications
            .GroupBy(a => new { a.MatterCode, a.Name, a.Status, a.Channel })
            .Select(g => new { g.Key.MatterCode, g.Key.Name, g.Key.Status, g.Key.Channel, Count = g.Count(), Visits = g.Sum(a => a.VisitsRequired) })
            .ToListAsync(cancellationToken);
        var completed = applications.Where(a => a.Status == ApplicationStatus.Completed);
        var completedCount = await completed.CountAsync(cancellationToken);
        var onTime = await completed.CountAsync(a => a.OnTime == true, cancellationToken);
        var averageDays = await completed.Where(a => a.WorkingDaysTaken != null).AverageAsync(a => (double?)a.WorkingDaysTaken, cancellationToken);
        var rated = db.Applications.AsNoTracking().Where(a => a.Rating != null && (department == null || a.Department == department));
        var ratedCount = await rated.CountAsync(cancellationToken);
        var averageRating = await rated.AverageAsync(a => (double?)a.Rating, cancellationToken);
        var poorRatings = await rated.CountAsync(a => a.Rating <= 2, cancellationToken);

        var visitsAvoided = groups.Where(g => g.Channel != Channel.Window)
            .Sum(g => Math.Max(0, g.Count * VisitsPerWindowApplication - g.Visits));
        var matters = groups.GroupBy(g => (g.MatterCode ?? "benefit", g.Name))
            .Select(m => new MatterMetrics(m.Key.Item1, m.Key.Name, m.Sum(g => g.Count),
                m.GroupBy(g => ApplicationSummary.StatusName(g.Status)).ToDictionary(s => s.Key, s => s.Sum(g => g.Count))))
            .OrderByDescending(m => m.Total).ThenBy(m => m.MatterCode, StringComparer.Ordinal).ToList();
        return TypedResults.Ok(new CaseMetrics(
            department, query.From, query.To, groups.Sum(g => g.Count), completedCount, onTime,
            completedCount == 0 ? null : (double)onTime / completedCount, averageDays, visitsAvoided,
            ratedCount, averageRating, poorRatings, matters));
    }
}
