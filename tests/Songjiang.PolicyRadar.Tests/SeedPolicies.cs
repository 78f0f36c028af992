using Songjiang.PolicyRadar.Api.Application;
using Songjiang.PolicyRadar.Api.Domain;
using Songjiang.PolicyRadar.Api.Matching;
using Songjiang.PolicyRadar.Api.Search;
using System.Text.Json;

namespace Songjiang.PolicyRadar.Tests;

/// <summary>The service's seed policies, read from its embedded files and validated as the seeder does.</summary>
internal static class SeedPolicies
{
    private static readonly Lazy<IReadOnlyList<PolicyVersion>> Versions = new(Load);

    public static IReadOnlyList<PolicyVersion> All => Versions.Value;

    public static IEnumerable<PolicyDocument> Documents => All.Select(PolicyDocument.Of);

    public static IEnumerable<MatchablePolicy> Matchable => All.Select(MatchablePolicy.Of);

    private static List<PolicyVersion> Load()
    {
        var assembly = typeof(PolicyDraft).Assembly;
        var versions = new List<PolicyVersion>();
        var published = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.Contains(".Seed.policies-", StringComparison.Ordinal)).Order())
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            foreach (var draft in JsonSerializer.Deserialize<List<PolicyDraft>>(stream, new JsonSerializerOptions(JsonSerializerDefaults.Web))!)
            {
                var version = Api.Application.PolicyWorkflow.NewVersion(Guid.CreateVersion7(), 1, "seed", published);
                draft.ApplyTo(version);
                version.Status = PolicyStatus.Published;
                version.PublishedAt = published = published.AddMinutes(1);
                versions.Add(version);
            }
        }
        return versions;
    }
}
