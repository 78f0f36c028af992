using Songjiang.ServiceDefaults.Authentication;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Songjiang.Cases.Api.Domain;
using Songjiang.Cases.Api.Features;
using Songjiang.Cases.Api.Infrastructure;
using Songjiang.Cases.Api.IntegrationEvents.Events;
using Songjiang.Cases.Api.CaseFlow;
using Songjiang.EventBus;
using Songjiang.ServiceDefaults.Problems;
using Songjiang.Workflows;

namespace Songjiang.Cases.Api.Ratings;

/// <summary>
/// 好差评: takes ratings (一事一评 per application and channel), starts the follow-up of every real-name 差评 on the
/// workflow runtime (call-back and rectification tasks with working-day deadlines and 督办 timers), and records
/// call-backs, rectifications, follow-up ratings and appeals — each with its event in the same transaction.
/// </summary>
public sealed class RatingDesk(CasesDbContext db, IWorkflowRuntime workflows, IOutbox<CasesDbContext> outbox, TimeProvider clock)
{
    /// <summary>The workflow event that annuls a follow-up when an appeal is upheld.</summary>
    public const string AnnulledEvent = "rating-annulled";

    /// <summary>Rates an application.</summary>
    public async Task<Rating> RateAsync(string number, RateRequest request, Caller caller, bool legacy, CancellationToken cancellationToken)
    {
        var (channel, grade, dimensions, reasons, comment) = Validate(request, legacy);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var application = await ApplicationAccess.LoadReadableAsync(db, caller, number, cancellationToken, tracked: true);
        if (!ApplicationAccess.ActsForApplicant(caller, application))
        {
            throw new ForbiddenException("只有申请人（或代其办理的窗口人员）可以评价该办件。");
        }
        if (application.Kind is ApplicationKind.Benefit or ApplicationKind.Bundle)
        {
            throw new ConflictException(application.Kind == ApplicationKind.Benefit
                ? "免申即享事项无需评价。"
                : $"一件事 {number} 请按其中每个事项分别评价。");
        }
        if (channel == RatingChannel.Window && application.Channel != Channel.Window)
        {
            throw new ConflictException($"办件 {number} 不是在窗口受理的，请选择网上评价。");
        }
        var ratable = channel == RatingChannel.Online
            ? application.Status == ApplicationStatus.Completed
            : application.AcceptedAt is not null || application.Status == ApplicationStatus.Completed;
        if (!ratable)
        {
            throw new ConflictException(channel == RatingChannel.Online
                ? $"办件 {number} 办结后才能评价。"
                : $"办件 {number} 窗口受理后才能评价。");
        }
        if (await db.Ratings.AnyAsync(r => r.ApplicationId == application.Id && r.Channel == channel, cancellationToken))
        {
            throw new ConflictException($"办件 {number} 已有{RatingCatalogue.LabelOf(channel)}：一事一评，每个渠道只能评价一次。");
        }

        var now = clock.GetUtcNow();
        var rating = new Rating
        {
            ApplicationId = application.Id,
            ApplicationNumber = application.Number,
            MatterCode = application.MatterCode,
            MatterName = application.Name,
            Department = application.Department,
            ApplicantUscc = application.ApplicantUscc,
            ApplicantName = application.ApplicantName,
            Channel = channel,
            Grade = grade,
            Dimensions = dimensions,
            Reasons = reasons,
            Comment = comment,
            RealName = !request.Anonymous,
            RatedBy = caller.Id,
            RatedAt = now,
        };
        db.Ratings.Add(rating);
        if (channel == RatingChannel.Online)
        {
            // The former single rating on the application, kept for readers of the 1–5 score.
            application.Rating = RatingCatalogue.LegacyScoreOf(grade);
            application.RatingComment = comment;
            application.RatedAt = now;
        }
        var followUp = rating.Poor && rating.RealName;
        if (followUp)
        {
            rating.OpenFollowUp(Rating.FollowUpCorrelationOf(application.Correlation, channel));
        }
        await db.SaveChangesAsync(cancellationToken);
        if (followUp)
        {
            var data = new JsonObject
            {
                ["department"] = application.Department,
                ["applicationNumber"] = application.Number,
                ["ratingId"] = rating.Id.ToString(),
            };
            await workflows.Using(db).StartAsync(CaseProjection.FollowUpWorkflow, rating.FollowUpCorrelation!, data, caller.AsApplicant(), cancellationToken);
        }
        outbox.Add(db, RatingEvents.Rated(rating, followUp));
        if (channel == RatingChannel.Online)
        {
            outbox.Add(db, CaseEvents.Rated(application, followUp));
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return rating;
    }

    /// <summary>Reports the call-back (回访) of a 差评, completing its task.</summary>
    public Task<Rating> CallBackAsync(Guid id, FollowUpReport report, Caller caller, CancellationToken cancellationToken) =>
        CompleteFollowUpTaskAsync(id, report, caller, callBack: true, cancellationToken);

    /// <summary>Reports the rectification (整改) of a 差评, completing its task; only after the call-back.</summary>
    public Task<Rating> RectifyAsync(Guid id, FollowUpReport report, Caller caller, CancellationToken cancellationToken) =>
        CompleteFollowUpTaskAsync(id, report, caller, callBack: false, cancellationToken);

    private async Task<Rating> CompleteFollowUpTaskAsync(Guid id, FollowUpReport report, Caller caller, bool callBack, CancellationToken cancellationToken)
    {
        var note = Text(report.Note, "note", 2000, required: true)!;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var rating = await ForDepartmentAsync(id, caller, cancellationToken);
        var step = callBack ? "回访" : "整改";
        var due = callBack ? rating.FollowUp == FollowUpStatus.CallBackDue : rating.FollowUp == FollowUpStatus.RectificationDue;
        if (!due)
        {
            throw new ConflictException(rating.FollowUp switch
            {
                FollowUpStatus.None => "该评价不是实名差评，无需回访整改。",
                FollowUpStatus.Annulled => "该评价已经复核撤销，无需回访整改。",
                FollowUpStatus.CallBackDue => "请先回访申请人，再报告整改。",
                _ => $"该差评的{step}已经完成。",
            });
        }
        var taskId = callBack ? rating.CallBackTaskId : rating.RectificationTaskId;
        if (taskId is null || rating.CallBackTaskId == rating.RectificationTaskId)
        {
            throw new ConflictException("该差评按原回访流程办理：请在工作台完成其回访任务。");
        }
        var result = await workflows.Using(db).CompleteTaskAsync(
            new CompleteTaskCommand(taskId.Value, caller.AsCaseworker(), callBack ? "called-back" : "rectified", new JsonObject { ["opinion"] = note }),
            cancellationToken);
        if (!result.Applied)
        {
            throw new ConflictException($"该差评的{step}已经报告。");
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return rating;
    }

    /// <summary>The applicant's one follow-up rating (追评), after rectification.</summary>
    public async Task<Rating> AddFollowUpRatingAsync(Guid id, FollowUpRatingRequest request, Caller caller, CancellationToken cancellationToken)
    {
        if (!RatingCatalogue.TryParse(request.Grade, out var grade))
        {
            throw new ValidationFailedException("grade", GradeHint);
        }
        var comment = Text(request.Comment, "comment", 1000, required: false);
        var rating = await db.Ratings.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        var application = rating is null ? null : await db.Applications.AsNoTracking().FirstAsync(a => a.Id == rating.ApplicationId, cancellationToken);
        if (rating is null || !ApplicationAccess.ActsForApplicant(caller, application!))
        {
            throw new NotFoundException("没有您可以追评的这条评价。");
        }
        if (!rating.AcceptsFollowUpRating)
        {
            throw new ConflictException(rating.FollowUpGrade is not null
                ? "追评只能提交一次。"
                : "部门报告整改后才能追评。");
        }
        var now = clock.GetUtcNow();
        rating.AddFollowUpRating(grade, comment, now);
        rating.Version++;
        outbox.Add(db, RatingEvents.FollowUpAdded(rating));
        await db.SaveChangesAsync(cancellationToken);
        return rating;
    }

    /// <summary>A caseworker of the department appeals a rating (复核申请).</summary>
    public async Task<Rating> AppealAsync(Guid id, AppealRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var reason = Text(request.Reason, "reason", 2000, required: true)!;
        var rating = await ForDepartmentAsync(id, caller, cancellationToken);
        if (rating.Appeal != AppealStatus.None)
        {
            throw new ConflictException("这条评价已经申请过复核。");
        }
        var now = clock.GetUtcNow();
        rating.FileAppeal(caller.Id, reason, now);
        rating.Version++;
        outbox.Add(db, RatingEvents.AppealChanged(rating, "pending", reason, caller.Id, now));
        await db.SaveChangesAsync(cancellationToken);
        return rating;
    }

    /// <summary>
    /// Another officer decides an appeal: an approver of the department or an administrator, never the one who appealed.
    /// Upheld annuls the rating (it leaves the statistics) and ends any follow-up still owed.
    /// </summary>
    public async Task<Rating> DecideAppealAsync(Guid id, AppealDecisionRequest request, Caller caller, CancellationToken cancellationToken)
    {
        if (request.Upheld is not { } upheld)
        {
            throw new ValidationFailedException("upheld", "请说明复核结论：true 为撤销该评价，false 为维持。");
        }
        var reason = Text(request.Reason, "reason", 2000, required: true)!;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var rating = await ForDepartmentAsync(id, caller, cancellationToken);
        if (!caller.IsAdmin && !caller.IsApprover)
        {
            throw new ForbiddenException("复核由本部门审批人员或平台管理员决定。");
        }
        if (rating.Appeal != AppealStatus.Pending)
        {
            throw new ConflictException("这条评价没有待决定的复核申请。");
        }
        if (rating.AppealedBy == caller.Id)
        {
            throw new ForbiddenException("复核须由申请复核以外的另一名工作人员决定。");
        }
        var owedFollowUp = rating.FollowUp is FollowUpStatus.CallBackDue or FollowUpStatus.RectificationDue;
        var now = clock.GetUtcNow();
        rating.DecideAppeal(upheld, caller.Id, reason, now);
        rating.Version++;
        outbox.Add(db, RatingEvents.AppealChanged(rating, upheld ? "upheld" : "rejected", reason, caller.Id, now));
        await db.SaveChangesAsync(cancellationToken);
        if (upheld && owedFollowUp)
        {
            await workflows.Using(db).RaiseEventAsync(AnnulledEvent, rating.Id.ToString(), new JsonObject { ["reason"] = reason }, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return rating;
    }

    /// <summary>A rating the caller's department (or an administrator) handles; anyone else is told it does not exist.</summary>
    public async Task<Rating> ForDepartmentAsync(Guid id, Caller caller, CancellationToken cancellationToken)
    {
        var rating = await db.Ratings.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rating is null || !(caller.IsAdmin || (caller.IsCaseworker && caller.Department == rating.Department)))
        {
            throw new NotFoundException("没有您所在部门可以处理的这条评价。");
        }
        return rating;
    }

    private const string GradeHint = "评价等级为 very-satisfied（非常满意）、satisfied（满意）、basically-satisfied（基本满意）、dissatisfied（不满意）或 very-dissatisfied（非常不满意）。";

    private static (RatingChannel, RatingGrade, Dictionary<string, RatingGrade>, List<string>, string?) Validate(RateRequest request, bool legacy)
    {
        var errors = new Dictionary<string, string[]>();
        var channel = RatingChannel.Online;
        if (request.Channel is { } channelText && !TryChannel(channelText, out channel))
        {
            errors["channel"] = ["评价渠道为 online（网上）或 window（窗口）。"];
            channel = RatingChannel.Online;
        }
        RatingGrade grade = default;
        var fromScore = legacy && request.Grade is null && request.Rating is not null;
        if (fromScore)
        {
            if (request.Rating is not (>= 1 and <= 5))
            {
                errors["rating"] = ["评分为 1（非常不满意）至 5（非常满意）；建议改用 grade。"];
            }
            else
            {
                grade = RatingCatalogue.FromLegacyScore(request.Rating.Value);
            }
        }
        else if (!RatingCatalogue.TryParse(request.Grade, out grade))
        {
            errors["grade"] = [GradeHint];
        }

        var dimensions = new Dictionary<string, RatingGrade>();
        var expected = RatingCatalogue.Dimensions[channel].Where(d => d.Code != RatingCatalogue.Overall).ToList();
        foreach (var (code, value) in request.Dimensions ?? [])
        {
            if (expected.All(d => d.Code != code))
            {
                errors[$"dimensions.{code}"] = [$"{RatingCatalogue.LabelOf(channel)}的评价维度为 {string.Join("、", expected.Select(d => $"{d.Code}（{d.Label}）"))}。"];
            }
            else if (!RatingCatalogue.TryParse(value, out var dimensionGrade))
            {
                errors[$"dimensions.{code}"] = [GradeHint];
            }
            else
            {
                dimensions[code] = dimensionGrade;
            }
        }
        if (!fromScore)
        {
            foreach (var (code, label) in expected.Where(d => request.Dimensions?.ContainsKey(d.Code) != true))
            {
                errors[$"dimensions.{code}"] = [$"请评价“{label}”。"];
            }
        }

        var reasons = (request.Reasons ?? []).Select(r => r?.Trim() ?? "").Distinct(StringComparer.Ordinal).ToList();
        var offered = RatingCatalogue.ReasonsFor(grade);
        var unknown = reasons.Where(r => offered.All(o => o.Code != r)).ToList();
        if (unknown.Count > 0 && !errors.ContainsKey("grade"))
        {
            errors["reasons"] = [$"“{RatingCatalogue.LabelOf(grade)}”可选的原因为：{string.Join("；", offered.Select(o => $"{o.Code}（{o.Label}）"))}。"];
        }
        var comment = string.IsNullOrWhiteSpace(request.Comment) ? null : request.Comment.Trim();
        if (comment is { Length: > 1000 })
        {
            errors["comment"] = ["评价内容不超过 1000 个字。"];
        }
        if (!fromScore && Rating.IsPoor(grade) && reasons.Count == 0 && comment is null && !errors.ContainsKey("grade"))
        {
            errors["reasons"] = ["差评请至少选择一项原因或填写评价内容，以便回访整改。"];
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
        return (channel, grade, dimensions, reasons, comment);
    }

    private static bool TryChannel(string text, out RatingChannel channel)
    {
        channel = text.Trim().ToLowerInvariant() switch { "online" => RatingChannel.Online, "window" => RatingChannel.Window, _ => (RatingChannel)(-1) };
        return Enum.IsDefined(channel);
    }

    private static string? Text(string? text, string field, int max, bool required)
    {
        var trimmed = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        if (required && trimmed is null)
        {
            throw new ValidationFailedException(field, "请填写说明。");
        }
        return trimmed is { Length: var length } && length > max
            ? throw new ValidationFailedException(field, $"不超过 {max} 个字。")
            : trimmed;
    }
}
