using Songjiang.PolicyRadar.Api.Criteria;
using Songjiang.PolicyRadar.Api.Domain;
using Songjiang.PolicyRadar.Api.Matching;
using System.Text.Json;

namespace Songjiang.PolicyRadar.Api.Features;

/// <summary>A policy version as callers see it; officers' names and notes only for officers.</summary>
public sealed record PolicyVersionView(
    Guid PolicyId,
    int Version,
    PolicyStatus Status,
    string Title,
    string IssuingBody,
    PolicyLevel Level,
    string DocumentNumber,
    DateOnly EffectiveFrom,
    DateOnly? ExpiresOn,
    DateOnly? ApplicationOpens,
    DateOnly? ApplicationCloses,
    bool OpenNow,
    string FullText,
    string BenefitType,
    decimal? BenefitAmount,
    string? BenefitDescription,
    IReadOnlyList<string> Industries,
    IReadOnlyList<string> EnterpriseKinds,
    IReadOnlyList<string> Topics,
    JsonElement Criteria,
    bool ExemptFromApplication,
    string? ChangeNote,
    DateTimeOffset? PublishedAt,
    DateTimeOffset? SupersededAt,
    OfficerTrail? Trail)
{
    /// <summary>Projects a version.</summary>
    public static PolicyVersionView Of(PolicyVersion v, DateOnly today, bool forOfficer) => new(
        v.PolicyId, v.Version, v.Status, v.Title, v.IssuingBody, v.Level, v.DocumentNumber, v.EffectiveFrom, v.ExpiresOn, v.ApplicationOpens,
        v.ApplicationCloses, v.IsOpenOn(today), v.FullText, v.BenefitType, v.BenefitAmount, v.BenefitDescription, v.Industries,
        v.EnterpriseKinds, v.Topics, v.Criteria.Length > 0 ? JsonDocument.Parse(v.Criteria).RootElement : default, v.ExemptFromApplication,
        v.ChangeNote, v.PublishedAt, v.SupersededAt,
        forOfficer
            ? new OfficerTrail(v.DraftedBy, v.DraftedAt, v.LastEditedBy, v.UpdatedAt, v.SubmittedAt, v.ReviewedBy, v.ReviewedAt, v.ReviewNote, v.PublishedBy)
            : null);
}

/// <summary>Who did what to a version (officers only).</summary>
public sealed record OfficerTrail(
    string DraftedBy, DateTimeOffset DraftedAt, string? LastEditedBy, DateTimeOffset UpdatedAt, DateTimeOffset? SubmittedAt,
    string? ReviewedBy, DateTimeOffset? ReviewedAt, string? ReviewNote, string? PublishedBy);

/// <summary>A line of the version history.</summary>
public sealed record VersionSummary(int Version, PolicyStatus Status, string Title, string? ChangeNote, DateTimeOffset? PublishedAt, DateTimeOffset? SupersededAt)
{
    /// <summary>Projects a version.</summary>
    public static VersionSummary Of(PolicyVersion v) => new(v.Version, v.Status, v.Title, v.ChangeNote, v.PublishedAt, v.SupersededAt);
}

/// <summary>A policy: the version shown (published for the public, newest for officers) and the history.</summary>
public sealed record PolicyView(Guid Id, int LatestVersion, int? PublishedVersion, PolicyVersionView Current, IReadOnlyList<VersionSummary> Versions);

/// <summary>A line of the officers' list.</summary>
public sealed record PolicySummary(
    Guid Id, int LatestVersion, int? PublishedVersion, PolicyStatus Status, string Title, PolicyLevel Level, string IssuingBody,
    string DocumentNumber, DateTimeOffset UpdatedAt);

/// <summary>What a match names of its policy.</summary>
public sealed record MatchedPolicy(
    Guid PolicyId, int Version, string Title, string Level, string IssuingBody, string DocumentNumber, string BenefitType,
    decimal? BenefitAmount, bool ExemptFromApplication)
{
    /// <summary>Projects a policy held by the engine.</summary>
    public static MatchedPolicy Of(MatchablePolicy p) =>
        new(p.PolicyId, p.Version, p.Title, p.Level, p.IssuingBody, p.DocumentNumber, p.BenefitType, p.BenefitAmount, p.ExemptFromApplication);
}

/// <summary>A policy the enterprise is eligible for, every clause explained.</summary>
public sealed record EligibleMatch(MatchedPolicy Policy, IReadOnlyList<string> Reasons, ClauseResult Explanation);

/// <summary>
/// A policy the enterprise misses by one condition: what is missing (a list of that one condition, the same shape as
/// <see cref="MatchExplanation.Missing"/>), and the whole explanation.
/// </summary>
public sealed record NearMiss(MatchedPolicy Policy, IReadOnlyList<ClauseResult> Missing, ClauseResult Explanation);

/// <summary>An enterprise's matches on a date.</summary>
public sealed record EnterpriseMatches(
    string Uscc, string Name, DateOnly On, int EligibleCount, IReadOnlyList<EligibleMatch> Eligible, IReadOnlyList<NearMiss> NearMisses);

/// <summary>One enterprise and one policy, explained.</summary>
public sealed record MatchExplanation(string Uscc, MatchedPolicy Policy, DateOnly On, bool Eligible, bool IsNearMiss, IReadOnlyList<ClauseResult> Missing, ClauseResult Explanation);

/// <summary>An enterprise eligible for a policy (officers' list).</summary>
public sealed record EligibleEnterprise(string Uscc, string Name, string Location, string IndustryCode, string SizeClass, DateTimeOffset? PushedAt);
