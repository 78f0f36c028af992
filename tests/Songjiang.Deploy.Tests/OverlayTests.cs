using Songjiang.Deploy.Tests.Support;

namespace Songjiang.Deploy.Tests;

/// <summary>The two overlays: a small one-replica cluster, and production with replicas, autoscaling and disruption budgets.</summary>
public sealed class OverlayTests
{
    private static readonly string Production = Path.Combine(Repository.K8s, "overlays", "production");
    private static readonly string Small = Path.Combine(Repository.K8s, "overlays", "small");

    [Fact]
    public void Production_runs_at_least_two_replicas_of_every_service_scaled_on_cpu_and_kept_through_disruptions()
    {
        var manifests = Repository.Kustomize(Production);
        var replicas = Replicas(Production);

        foreach (var deployment in Cluster.OfKind("Deployment"))
        {
            Assert.True(replicas.GetValueOrDefault(deployment.Name) >= 2, $"production runs two or more replicas of {deployment.Name}");
            var autoscaler = Assert.Single(manifests, m => m.Kind == "HorizontalPodAutoscaler" && m.Document["spec"]!["scaleTargetRef"]!["name"]!.GetValue<string>() == deployment.Name);
            Assert.Equal("Deployment", autoscaler.Document["spec"]!["scaleTargetRef"]!["kind"]!.GetValue<string>());
            Assert.True(int.Parse(autoscaler.Document["spec"]!["minReplicas"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) >= 2);
            var labels = deployment.Document["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
            var budget = Assert.Single(manifests, m => m.Kind == "PodDisruptionBudget" && m.Name == deployment.Name);
            foreach (var (key, value) in budget.Document["spec"]!["selector"]!["matchLabels"]!.AsObject())
            {
                Assert.Equal(value!.GetValue<string>(), labels[key]?.GetValue<string>());
            }
        }
    }

    [Fact]
    public void The_small_cluster_runs_one_replica_of_everything_without_autoscaling()
    {
        var manifests = Repository.Kustomize(Small);
        var replicas = Replicas(Small);

        Assert.All(Cluster.OfKind("Deployment"), d => Assert.Equal(1, replicas[d.Name]));
        Assert.DoesNotContain(manifests, m => m.Kind is "HorizontalPodAutoscaler" or "PodDisruptionBudget");
    }

    [Theory]
    [InlineData("base")]
    [InlineData("secrets")]
    [InlineData("overlays/small")]
    [InlineData("overlays/production")]
    public void Every_manifest_file_is_part_of_a_kustomization_and_every_object_is_named(string directory)
    {
        var root = Path.Combine(Repository.K8s, directory);
        var manifests = Repository.Kustomize(root);
        var listed = manifests.Select(m => m.File).ToHashSet();

        foreach (var file in Directory.GetFiles(root, "*.yaml", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != "kustomization.yaml"))
        {
            Assert.True(listed.Contains(file), $"{Path.GetRelativePath(Repository.K8s, file)} is listed in {directory}/kustomization.yaml");
        }

        Assert.All(manifests, m =>
        {
            Assert.NotNull(m.Document["apiVersion"]);
            Assert.False(string.IsNullOrEmpty(m.Name));
        });
        Assert.Equal(manifests.Count, manifests.Select(m => (m.Kind, m.Name)).Distinct().Count());
    }

    private static Dictionary<string, int> Replicas(string overlay) =>
        Repository.Kustomization(overlay)["replicas"]!.AsArray().ToDictionary(
            r => r!["name"]!.GetValue<string>(),
            r => int.Parse(r!["count"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
}
