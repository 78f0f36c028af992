using Songjiang.ServiceDefaults.Authentication;
using Microsoft.EntityFrameworkCore;
using Songjiang.Cases.Api.Domain;
using Songjiang.Cases.Api.Infrastructure;
using Songjiang.Cases.Api.CaseFlow;
using Songjiang.Persistence;

namespace Songjiang.Cases.Api.Ratings;

/// <summary>
/// Moves the former 1–5 ratings (columns on the application) into ratings with grades at start: 5 非常满意, 4 满意,
/// 3 基本满意, 2 不满意, 1 非常不满意, on the online channel (the only one there was), under the applicant's name. A 差评's
/// former single follow-up task carries on and stands for call-back and rectification. Idempotent: an application that
/// has its online rating is skipped, so every start and every replica may run it.
/// </summary>
public sealed partial class LegacyRatingMigration(ILogger<LegacyRatingMigration> logger) : IDatabaseSeeder<CasesDbContext>
{
    /// <inheritdoc />
    public async Task SeedAsync(CasesDbContext db, CancellationToken cancellationToken)
    {
        var migrated = 0;
        while (true)
        {
            var batch = await db.Applications.AsNoTracking()
                .Where(a => a.Rating != null && !db.Ratings.Any(r => r.ApplicationId == a.Id && r.Channel == RatingChannel.Online))
                .OrderBy(a => a.Id).Take(200).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }
            foreach (var application in batch)
            {
                var score = application.Rating!.Value;
                var rating = new Rating
                {
                    ApplicationId = application.Id,
                    ApplicationNumber = application.Number,
                    MatterCode = application.MatterCode,
                    MatterName = application.Name,
                    Department = application.Department,
                    ApplicantUscc = application.ApplicantUscc,
                    ApplicantName = application.ApplicantName,
                    Channel = RatingChannel.Online,
                    Grade = RatingCatalogue.FromLegacyScore(score),
                    Comment = application.RatingComment,
                    RealName = true,
                    RatedBy = application.SubmittedBy,
                    RatedAt = application.RatedAt ?? application.CompletedAt ?? application.SubmittedAt,
                    LegacyScore = score,
                };
                if (rating.Poor)
                {
                    await AdoptFollowUpAsync(db, application, rating, cancellationToken);
                }
                db.Ratings.Add(rating);
            }
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            migrated += batch.Count;
        }
        if (migrated > 0)
        {
            LogMigrated(logger, migrated);
        }
    }

    private static async Task AdoptFollowUpAsync(CasesDbContext db, Application application, Rating rating, CancellationToken cancellationToken)
    {
        var task = await db.Tasks.AsNoTracking()
            .Where(t => t.ApplicationId == application.Id && t.NodeId == "followUp")
            .OrderByDescending(t => t.OpenedAt).FirstOrDefaultAsync(cancellationToken);
        rating.AdoptLegacyFollowUp(application.Correlation + CaseProjection.FollowUpSuffix, task?.Id, task?.DueAt);
        if (task is { Status: CaseTaskStatus.Completed, ClosedAt: { } closed })
        {
            rating.RecordRectification(task.CompletedBy ?? "system", task.Opinion, closed);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Moved {Count} former 1–5 ratings to the five grades")]
    private static partial void LogMigrated(ILogger logger, int count);
}
