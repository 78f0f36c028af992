using Songjiang.Cases.Api.Domain;
using Songjiang.EventBus;

namespace Songjiang.Cases.Api.IntegrationEvents.Events;

// 好差评 events (docs/ratings.md). Grades and channels travel by name (very-satisfied … very-dissatisfied; online,
// window); every rating event names the rating, its application, matter, department and applicant the same way.

/// <summary>The fields every rating event carries.</summary>
/// <param name="RatingId">The rating.</param>
/// <param name="ApplicationNumber">The rated application.</param>
/// <param name="MatterCode">Its matter.</param>
/// <param name="MatterName">The matter's name.</param>
/// <param name="Department">The department that handled it and follows up.</param>
/// <param name="ApplicantUscc">The applicant.</param>
/// <param name="ApplicantName">The applicant's name.</param>
/// <param name="RatingChannel"><c>online</c> or <c>window</c>.</param>
/// <param name="Grade">The overall grade's name.</param>
public abstract record RatingEvent(
    Guid RatingId, string ApplicationNumber, string? MatterCode, string MatterName, string Department, string? ApplicantUscc,
    string ApplicantName, string RatingChannel, string Grade) : IntegrationEvent;

/// <summary>An application was rated (好差评); a real-name 差评 opened its follow-up with the two deadlines.</summary>
[IntegrationEvent("cases.application-rated.v2")]
public sealed record ApplicationRatedV2IntegrationEvent(
    Guid RatingId, string ApplicationNumber, string? MatterCode, string MatterName, string Department, string? ApplicantUscc,
    string ApplicantName, string RatingChannel, string Grade, string GradeName, bool Poor, bool RealName,
    IReadOnlyDictionary<string, string> Dimensions, IReadOnlyList<string> Reasons, string? Comment, DateTimeOffset RatedAt,
    bool FollowUpOpened, DateTimeOffset? CallBackDueAt, DateTimeOffset? RectificationDueAt)
    : RatingEvent(RatingId, ApplicationNumber, MatterCode, MatterName, Department, ApplicantUscc, ApplicantName, RatingChannel, Grade);

/// <summary>The department called the applicant back about a 差评 (回访).</summary>
[IntegrationEvent("cases.poor-rating-called-back.v1")]
public sealed record PoorRatingCalledBackIntegrationEvent(
    Guid RatingId, string ApplicationNumber, string? MatterCode, string MatterName, string Department, string? ApplicantUscc,
    string ApplicantName, string RatingChannel, string Grade, string CalledBackBy, string? Note, DateTimeOffset CalledBackAt, bool OnTime,
    DateTimeOffset? RectificationDueAt)
    : RatingEvent(RatingId, ApplicationNumber, MatterCode, MatterName, Department, ApplicantUscc, ApplicantName, RatingChannel, Grade);

/// <summary>The department reported the rectification of a 差评 (整改); the applicant may now add a follow-up rating.</summary>
[IntegrationEvent("cases.poor-rating-rectified.v1")]
public sealed record PoorRatingRectifiedIntegrationEvent(
    Guid RatingId, string ApplicationNumber, string? MatterCode, string MatterName, string Department, string? ApplicantUscc,
    string ApplicantName, string RatingChannel, string Grade, string RectifiedBy, string? Note, DateTimeOffset RectifiedAt, bool OnTime)
    : RatingEvent(RatingId, ApplicationNumber, MatterCode, MatterName, Department, ApplicantUscc, ApplicantName, RatingChannel, Grade);

/// <summary>A 差评's call-back or rectification is late and was escalated (督办).</summary>
/// <param name="Step"><c>call-back</c> or <c>rectification</c>.</param>
/// <param name="DueAt">The deadline that passed.</param>
[IntegrationEvent("cases.poor-rating-escalated.v1")]
public sealed record PoorRatingEscalatedIntegrationEvent(
    Guid RatingId, string ApplicationNumber, string? MatterCode, string MatterName, string Department, string? ApplicantUscc,
    string ApplicantName, string RatingChannel, string Grade, string Step, DateTimeOffset? DueAt, DateTimeOffset EscalatedAt)
    : RatingEvent(RatingId, ApplicationNumber, MatterCode, MatterName, Department, ApplicantUscc, ApplicantName, RatingChannel, Grade);

/// <summary>The applicant added its follow-up rating (追评) after rectification.</summary>
[IntegrationEvent("cases.rating-follow-up-added.v1")]
public sealed record RatingFollowUpAddedIntegrationEvent(
    Guid RatingId, string ApplicationNumber, string? MatterCode, string MatterName, string Department, string? ApplicantUscc,
    string ApplicantName, string RatingChannel, string Grade, string FollowUpGrade, string? Comment, DateTimeOffset RatedAt)
    : RatingEvent(RatingId, ApplicationNumber, MatterCode, MatterName, Department, ApplicantUscc, ApplicantName, RatingChannel, Grade);

/// <summary>A department appealed a rating (复核), or another officer decided the appeal.</summary>
/// <param name="Status"><c>pending</c>, <c>upheld</c> (the rating is annulled) or <c>rejected</c>.</param>
/// <param name="Reason">The appeal's reason, or the decision's.</param>
/// <param name="By">The officer.</param>
/// <param name="At">When.</param>
[IntegrationEvent("cases.rating-appeal-changed.v1")]
public sealed record RatingAppealChangedIntegrationEvent(
    Guid RatingId, string ApplicationNumber, string? MatterCode, string MatterName, string Department, string? ApplicantUscc,
    string ApplicantName, string RatingChannel, string Grade, string Status, string Reason, string By, DateTimeOffset At)
    : RatingEvent(RatingId, ApplicationNumber, MatterCode, MatterName, Department, ApplicantUscc, ApplicantName, RatingChannel, Grade);
