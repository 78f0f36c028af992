using Songjiang.ServiceDefaults.Authentication;
using Songjiang.Cases.Api.Domain;

namespace Songjiang.Cases.Api.Ratings;

/// <summary>好差评: a rating of an application on one channel.</summary>
/// <param name="Channel"><c>online</c> (default) or <c>window</c>.</param>
/// <param name="Grade">The overall grade: very-satisfied, satisfied, basically-satisfied, dissatisfied, very-dissatisfied (or its Chinese name).</param>
/// <param name="Dimensions">
/// The channel's other dimensions, each graded the same way: online <c>efficiency</c>, <c>guideAccuracy</c>,
/// <c>convenience</c>; window <c>efficiency</c>, <c>competence</c>, <c>attitude</c>.
/// </param>
/// <param name="Reasons">Reason codes offered with the grade (see <c>GET /api/cases/ratings/catalogue</c>).</param>
/// <param name="Comment">Free text.</param>
/// <param name="Anonymous">Rate without the applicant's name; an anonymous 差评 is counted but cannot be called back.</param>
/// <param name="Rating">Former 1–5 score, still accepted on <c>POST …/rating</c> (5 非常满意 … 1 非常不满意); use <c>grade</c>.</param>
public sealed record RateRequest(
    string? Channel, string? Grade, Dictionary<string, string>? Dimensions, IReadOnlyList<string>? Reasons, string? Comment,
    bool Anonymous = false, int? Rating = null);

/// <summary>A call-back or rectification report.</summary>
/// <param name="Note">What was done (required).</param>
public sealed record FollowUpReport(string? Note);

/// <summary>The applicant's follow-up rating (追评) after rectification.</summary>
/// <param name="Grade">The grade now.</param>
/// <param name="Comment">Free text.</param>
public sealed record FollowUpRatingRequest(string? Grade, string? Comment);

/// <summary>A department's appeal (复核申请) against a rating it holds untrue.</summary>
/// <param name="Reason">Why (required).</param>
public sealed record AppealRequest(string? Reason);

/// <summary>Another officer's decision on an appeal.</summary>
/// <param name="Upheld">True annuls the rating; false lets it stand.</param>
/// <param name="Reason">Why (required, kept).</param>
public sealed record AppealDecisionRequest(bool? Upheld, string? Reason);

/// <summary>A grade with its name.</summary>
public sealed record GradeView(string Code, string Name, bool Poor)
{
    /// <summary>Projects a grade.</summary>
    public static GradeView Of(RatingGrade grade) => new(RatingCatalogue.CodeOf(grade), RatingCatalogue.LabelOf(grade), Rating.IsPoor(grade));
}

/// <summary>A rated dimension.</summary>
public sealed record DimensionView(string Code, string Name, GradeView Grade);

/// <summary>The follow-up of a real-name 差评.</summary>
public sealed record FollowUpView(
    string Status, DateTimeOffset? CallBackDueAt, DateTimeOffset? CalledBackAt, string? CalledBackBy, string? CallBackNote, bool? CallBackOnTime,
    DateTimeOffset? CallBackEscalatedAt, DateTimeOffset? RectificationDueAt, DateTimeOffset? RectifiedAt, string? RectifiedBy,
    string? RectificationNote, bool? RectificationOnTime, DateTimeOffset? RectificationEscalatedAt, GradeView? FollowUpGrade,
    string? FollowUpComment, DateTimeOffset? FollowUpRatedAt, bool AcceptsFollowUpRating);

/// <summary>An appeal (复核) and its decision.</summary>
public sealed record AppealView(
    string Status, string? Reason, string? AppealedBy, DateTimeOffset? AppealedAt, string? DecidedBy, string? DecisionReason, DateTimeOffset? DecidedAt);

/// <summary>A rating as the applicant, the department and administrators see it.</summary>
public sealed record RatingView(
    Guid Id, string ApplicationNumber, string? MatterCode, string MatterName, string Department, string? ApplicantUscc, string ApplicantName,
    string Channel, string ChannelName, GradeView Grade, IReadOnlyList<DimensionView> Dimensions, IReadOnlyList<RatingReason> Reasons,
    string? Comment, bool RealName, DateTimeOffset RatedAt, int? LegacyScore, bool Counts, FollowUpView? FollowUp, AppealView Appeal)
{
    /// <summary>Projects a rating.</summary>
    public static RatingView Of(Rating r)
    {
        var reasons = RatingCatalogue.ReasonsFor(r.Grade).ToDictionary(x => x.Code);
        var names = RatingCatalogue.Dimensions[r.Channel].ToDictionary(d => d.Code, d => d.Label);
        return new(
            r.Id, r.ApplicationNumber, r.MatterCode, r.MatterName, r.Department, r.ApplicantUscc, r.ApplicantName,
            RatingCatalogue.CodeOf(r.Channel), RatingCatalogue.LabelOf(r.Channel), GradeView.Of(r.Grade),
            [.. r.Dimensions.Select(d => new DimensionView(d.Key, names.GetValueOrDefault(d.Key, d.Key), GradeView.Of(d.Value)))],
            [.. r.Reasons.Select(code => reasons.GetValueOrDefault(code) ?? new RatingReason(code, code))],
            r.Comment, r.RealName, r.RatedAt, r.LegacyScore, r.Counts,
            r.FollowUp == FollowUpStatus.None ? null : new FollowUpView(
                Kebab(r.FollowUp.ToString()), r.CallBackDueAt, r.CalledBackAt, r.CalledBackBy, r.CallBackNote, OnTime(r.CalledBackAt, r.CallBackDueAt),
                r.CallBackEscalatedAt, r.RectificationDueAt, r.RectifiedAt, r.RectifiedBy, r.RectificationNote, OnTime(r.RectifiedAt, r.RectificationDueAt),
                r.RectificationEscalatedAt, r.FollowUpGrade is { } g ? GradeView.Of(g) : null, r.FollowUpComment, r.FollowUpRatedAt,
                r.AcceptsFollowUpRating),
            new AppealView(Kebab(r.Appeal.ToString()), r.AppealReason, r.AppealedBy, r.AppealedAt, r.AppealDecidedBy, r.AppealDecisionReason, r.AppealDecidedAt));
    }

    /// <summary>Whether a step done at <paramref name="done"/> met <paramref name="due"/> (null while not done).</summary>
    public static bool? OnTime(DateTimeOffset? done, DateTimeOffset? due) => done is { } d ? due is not { } limit || d <= limit : null;

    /// <summary>An enum name as the API spells it (<c>CallBackDue</c> → <c>call-back-due</c>).</summary>
    public static string Kebab(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i == 0 ? "" : "-") + char.ToLowerInvariant(c) : c.ToString()));
}

/// <summary>What a rating is made of, for forms: grades, each channel's dimensions, the reasons per grade.</summary>
public sealed record RatingCatalogueView(IReadOnlyList<CatalogueGrade> Grades, IReadOnlyList<CatalogueChannel> Channels);

/// <summary>A grade and its reasons.</summary>
public sealed record CatalogueGrade(string Code, string Name, bool Poor, IReadOnlyList<RatingReason> Reasons);

/// <summary>A channel and its dimensions.</summary>
public sealed record CatalogueChannel(string Code, string Name, IReadOnlyList<CatalogueDimension> Dimensions);

/// <summary>A dimension.</summary>
public sealed record CatalogueDimension(string Code, string Name);
