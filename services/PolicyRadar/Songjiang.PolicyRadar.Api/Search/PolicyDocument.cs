using Songjiang.PolicyRadar.Api.Domain;

namespace Songjiang.PolicyRadar.Api.Search;

/// <summary>What the search index holds of a published policy version.</summary>
public sealed record PolicyDocument(
    Guid PolicyId,
    int Version,
    string Title,
    string IssuingBody,
    string Level,
    string DocumentNumber,
    string FullText,
    string BenefitType,
    decimal? BenefitAmount,
    bool ExemptFromApplication,
    IReadOnlyList<string> Industries,
    IReadOnlyList<string> EnterpriseKinds,
    IReadOnlyList<string> Topics,
    DateOnly EffectiveFrom,
    DateOnly? ExpiresOn,
    DateOnly? ApplicationOpens,
    DateOnly? ApplicationCloses,
    DateTimeOffset PublishedAt)
{
    /// <summary>The document of a published version.</summary>
    public static PolicyDocument Of(PolicyVersion v) => new(
        v.PolicyId, v.Version, v.Title, v.IssuingBody, v.Level.ToString(), v.DocumentNumber, v.FullText, v.BenefitType, v.BenefitAmount,
        v.ExemptFromApplication, v.Industries, v.EnterpriseKinds, v.Topics, v.EffectiveFrom, v.ExpiresOn, v.ApplicationOpens,
        v.ApplicationCloses, v.PublishedAt ?? v.UpdatedAt);

    /// <summary>Every tag: industries, enterprise kinds, topics and the level.</summary>
    public IEnumerable<string> AllTags => Industries.Concat(EnterpriseKinds).Concat(Topics).Append(Level);

    /// <summary>First day applications are open: the window's start, else the day it comes into force.</summary>
    public DateOnly OpensOn => ApplicationOpens is { } opens && opens > EffectiveFrom ? opens : EffectiveFrom;

    /// <summary>Last day applications are open: the window's end or the expiry, whichever is first.</summary>
    public DateOnly ClosesOn => new[] { ApplicationCloses ?? DateOnly.MaxValue, ExpiresOn ?? DateOnly.MaxValue }.Min();
}

/// <summary>A search: words, filters, paging.</summary>
public sealed record PolicyQuery(
    string? Q = null,
    string? Level = null,
    string? IssuingBody = null,
    string? Industry = null,
    string? EnterpriseKind = null,
    string? Topic = null,
    string? BenefitType = null,
    bool? OpenNow = null,
    bool? ExemptFromApplication = null,
    int Page = 1,
    int PageSize = 20,
    bool Highlight = true);

/// <summary>One hit, with the matching words marked <c>&lt;em&gt;</c> in title and snippet (HTML-escaped).</summary>
public sealed record PolicyHit(
    Guid PolicyId,
    int Version,
    string Title,
    string TitleHighlighted,
    string Snippet,
    string Level,
    string IssuingBody,
    string DocumentNumber,
    string BenefitType,
    decimal? BenefitAmount,
    bool ExemptFromApplication,
    bool OpenNow,
    IReadOnlyList<string> Industries,
    IReadOnlyList<string> EnterpriseKinds,
    IReadOnlyList<string> Topics,
    DateOnly EffectiveFrom,
    DateOnly? ExpiresOn,
    float Score);

/// <summary>A count per facet value over all hits.</summary>
public sealed record FacetValue(string Value, int Count);

/// <summary>A page of hits with the total and the facets of the whole result.</summary>
public sealed record PolicySearchResult(
    IReadOnlyList<PolicyHit> Items,
    int Page,
    int PageSize,
    int Total,
    IReadOnlyDictionary<string, IReadOnlyList<FacetValue>> Facets);
