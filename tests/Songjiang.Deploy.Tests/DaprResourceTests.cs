using System.Text.Json.Nodes;
using Songjiang.Deploy.Tests.Support;

namespace Songjiang.Deploy.Tests;

/// <summary>The Dapr resources, for self-hosted sidecars (deploy/dapr/components) and in the cluster, are valid Dapr resources.</summary>
public sealed class DaprResourceTests
{
    public static TheoryData<string> Files => new(
        Directory.GetFiles(Path.Combine(Repository.Root, "deploy", "dapr", "components"), "*.yaml")
            .Concat(Directory.GetFiles(Path.Combine(Repository.K8s, "base", "dapr"), "*.yaml"))
            .Select(f => Path.GetRelativePath(Repository.Root, f).Replace('\\', '/'))
            .Order());

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_dapr_resource_validates_against_its_schema(string file)
    {
        foreach (var resource in Repository.ReadYaml(Path.Combine(Repository.Root, file)))
        {
            var schema = resource["kind"]!.GetValue<string>() switch
            {
                "Component" => DaprSchemas.Component,
                "Resiliency" => DaprSchemas.Resiliency,
                "Configuration" => DaprSchemas.Configuration,
                var kind => throw new Xunit.Sdk.XunitException($"{file}: no schema for {kind}"),
            };

            Assert.Empty(DaprSchemas.Validate(resource, schema));
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void The_rabbitmq_pubsub_sets_only_metadata_the_component_reads_with_values_of_its_types(string file)
    {
        foreach (var component in Repository.ReadYaml(Path.Combine(Repository.Root, file)).Where(r => r["spec"]?["type"]?.GetValue<string>() == "pubsub.rabbitmq"))
        {
            foreach (var item in component["spec"]!["metadata"]!.AsArray())
            {
                var name = item!["name"]!.GetValue<string>();
                Assert.True(DaprSchemas.RabbitMqMetadata.TryGetValue(name, out var shape), $"pubsub.rabbitmq reads no metadata '{name}'");
                if (item["value"] is { } value)
                {
                    Assert.Empty(DaprSchemas.Validate(value, shape));
                }
            }

            var connection = component["spec"]!["metadata"]!.AsArray().Single(i => i!["name"]!.GetValue<string>() == "connectionString")!;
            Assert.NotNull(connection["secretKeyRef"]);
            Assert.Equal("kubernetes", component["auth"]!["secretStore"]!.GetValue<string>());
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Resiliency_targets_name_policies_that_exist(string file)
    {
        foreach (var resiliency in Repository.ReadYaml(Path.Combine(Repository.Root, file)).Where(r => r["kind"]!.GetValue<string>() == "Resiliency"))
        {
            var policies = resiliency["spec"]!["policies"]!;
            var targets = resiliency["spec"]!["targets"]!["components"]!.AsObject()
                .SelectMany(c => new[] { c.Value!["inbound"], c.Value!["outbound"] })
                .OfType<JsonObject>();
            foreach (var target in targets)
            {
                foreach (var (kind, section) in new[] { ("timeout", "timeouts"), ("retry", "retries"), ("circuitBreaker", "circuitBreakers") })
                {
                    if (target[kind] is { } name)
                    {
                        Assert.NotNull(policies[section]?[name.GetValue<string>()]);
                    }
                }
            }
        }
    }

    [Fact]
    public void The_cluster_uses_the_same_pubsub_component_and_resiliency_as_self_hosted_sidecars()
    {
        static JsonNode Spec(string path) => Repository.ReadYaml(Path.Combine(Repository.Root, path)).Single()["spec"]!;

        Assert.True(JsonNode.DeepEquals(Spec("deploy/dapr/components/pubsub.yaml"), Spec("deploy/k8s/base/dapr/pubsub.yaml")));
        Assert.True(JsonNode.DeepEquals(Spec("deploy/dapr/components/resiliency.yaml"), Spec("deploy/k8s/base/dapr/resiliency.yaml")));
    }

    [Fact]
    public void A_misspelt_setting_fails_validation()
    {
        // The defects this suite exists for: a field the Resiliency schema does not have, and metadata the component does not read.
        var resiliency = JsonNode.Parse("""
            {"apiVersion":"dapr.io/v1alpha1","kind":"Resiliency","metadata":{"name":"x"},
             "spec":{"policies":{"retries":{"r":{"policy":"exponential","initialInterval":"500ms"}}},"targets":{}}}
            """);

        Assert.Contains(".spec.policies.retries.r.initialInterval: unknown field", DaprSchemas.Validate(resiliency, DaprSchemas.Resiliency));
        Assert.False(DaprSchemas.RabbitMqMetadata.ContainsKey("reconnectWait"));
    }
}
