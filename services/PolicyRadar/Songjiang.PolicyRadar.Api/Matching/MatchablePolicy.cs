using Songjiang.PolicyRadar.Api.Criteria;
using Songjiang.PolicyRadar.Api.Domain;
using System.Text.Json;

namespace Songjiang.PolicyRadar.Api.Matching;

/// <summary>A published policy version as the matching engine holds it: compiled once, with its candidate constraints.</summary>
public sealed record MatchablePolicy(
    Guid PolicyId,
    int Version,
    string Title,
    string Level,
    string IssuingBody,
    string DocumentNumber,
    string BenefitType,
    decimal? BenefitAmount,
    bool ExemptFromApplication,
    DateOnly EffectiveFrom,
    DateOnly? ExpiresOn,
    CompiledCriteria Criteria,
    IReadOnlyList<DiscreteConstraint> Constraints,
    IReadOnlyList<string>? Tags = null,
    DateOnly? ApplicationOpens = null,
    DateOnly? ApplicationCloses = null)
{
    /// <summary>Compiles a version; its criteria were validated when it was saved.</summary>
    public static MatchablePolicy Of(PolicyVersion version)
    {
        var (criteria, errors) = CriteriaParser.Parse(JsonDocument.Parse(version.Criteria).RootElement);
        if (criteria is null)
        {
            throw new InvalidOperationException(
                $"Policy {version.PolicyId} v{version.Version} has invalid criteria: {string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))}");
        }
        return new MatchablePolicy(
            version.PolicyId, version.Version, version.Title, version.Level.ToString(), version.IssuingBody, version.DocumentNumber,
            version.BenefitType, version.BenefitAmount, version.ExemptFromApplication, version.EffectiveFrom, version.ExpiresOn,
            CompiledCriteria.Compile(criteria), CandidateKeys.NecessaryOf(criteria),
            [.. version.Industries, .. version.EnterpriseKinds, .. version.Topics, version.Level.ToString()],
            version.ApplicationOpens, version.ApplicationCloses);
    }

    /// <summary>How the engine matches the policy against every enterprise.</summary>
    internal MatchPlan Plan => Criteria.Plan;

    /// <summary>Whether the policy can still be granted on a date (not expired; one announced ahead still matches).</summary>
    public bool IsCurrentOn(DateOnly date) => ExpiresOn is null || date <= ExpiresOn;
}
