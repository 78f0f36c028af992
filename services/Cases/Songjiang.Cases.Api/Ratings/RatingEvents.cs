using Songjiang.ServiceDefaults.Authentication;
using Songjiang.Cases.Api.Domain;
using Songjiang.Cases.Api.IntegrationEvents.Events;
using Songjiang.ServiceDefaults.Time;

namespace Songjiang.Cases.Api.Ratings;

/// <summary>Builds the published events of a rating, each with the fields every rating event carries.</summary>
public static class RatingEvents
{
    /// <summary>Rated.</summary>
    public static ApplicationRatedV2IntegrationEvent Rated(Rating r, bool followUpOpened) => new(
        r.Id, r.ApplicationNumber, r.MatterCode, r.MatterName, r.Department, r.ApplicantUscc, r.ApplicantName,
        RatingCatalogue.CodeOf(r.Channel), RatingCatalogue.CodeOf(r.Grade), RatingCatalogue.LabelOf(r.Grade), r.Poor, r.RealName,
        r.Dimensions.ToDictionary(d => d.Key, d => RatingCatalogue.CodeOf(d.Value)), [.. r.Reasons], r.Comment, China(r.RatedAt),
        followUpOpened, China(r.CallBackDueAt), China(r.RectificationDueAt));

    /// <summary>Called back.</summary>
    public static PoorRatingCalledBackIntegrationEvent CalledBack(Rating r) => new(
        r.Id, r.ApplicationNumber, r.MatterCode, r.MatterName, r.Department, r.ApplicantUscc, r.ApplicantName,
        RatingCatalogue.CodeOf(r.Channel), RatingCatalogue.CodeOf(r.Grade), r.CalledBackBy ?? "", r.CallBackNote, China(r.CalledBackAt!.Value),
        RatingView.OnTime(r.CalledBackAt, r.CallBackDueAt) ?? true, China(r.RectificationDueAt));

    /// <summary>Rectified.</summary>
    public static PoorRatingRectifiedIntegrationEvent Rectified(Rating r) => new(
        r.Id, r.ApplicationNumber, r.MatterCode, r.MatterName, r.Department, r.ApplicantUscc, r.ApplicantName,
        RatingCatalogue.CodeOf(r.Channel), RatingCatalogue.CodeOf(r.Grade), r.RectifiedBy ?? "", r.RectificationNote, China(r.RectifiedAt!.Value),
        RatingView.OnTime(r.RectifiedAt, r.RectificationDueAt) ?? true);

    /// <summary>Escalated (督办).</summary>
    public static PoorRatingEscalatedIntegrationEvent Escalated(Rating r, bool callBack, DateTimeOffset at) => new(
        r.Id, r.ApplicationNumber, r.MatterCode, r.MatterName, r.Department, r.ApplicantUscc, r.ApplicantName,
        RatingCatalogue.CodeOf(r.Channel), RatingCatalogue.CodeOf(r.Grade), callBack ? "call-back" : "rectification",
        China(callBack ? r.CallBackDueAt : r.RectificationDueAt), China(at));

    /// <summary>追评 added.</summary>
    public static RatingFollowUpAddedIntegrationEvent FollowUpAdded(Rating r) => new(
        r.Id, r.ApplicationNumber, r.MatterCode, r.MatterName, r.Department, r.ApplicantUscc, r.ApplicantName,
        RatingCatalogue.CodeOf(r.Channel), RatingCatalogue.CodeOf(r.Grade), RatingCatalogue.CodeOf(r.FollowUpGrade!.Value), r.FollowUpComment,
        China(r.FollowUpRatedAt!.Value));

    /// <summary>Appeal filed or decided.</summary>
    public static RatingAppealChangedIntegrationEvent AppealChanged(Rating r, string status, string reason, string by, DateTimeOffset at) => new(
        r.Id, r.ApplicationNumber, r.MatterCode, r.MatterName, r.Department, r.ApplicantUscc, r.ApplicantName,
        RatingCatalogue.CodeOf(r.Channel), RatingCatalogue.CodeOf(r.Grade), status, reason, by, China(at));

    private static DateTimeOffset China(DateTimeOffset at) => ChinaTime.InChina(at);

    private static DateTimeOffset? China(DateTimeOffset? at) => at is { } instant ? ChinaTime.InChina(instant) : null;
}
