using Songjiang.Deploy.Tests.Support;

namespace Songjiang.Deploy.Tests;

/// <summary>Credentials are templates: every key the platform reads is there, and no value is committed.</summary>
public sealed class SecretTemplateTests
{
    [Fact]
    public void The_secret_templates_hold_no_values()
    {
        var secrets = Cluster.Secrets.Where(s => s.Kind == "Secret").ToList();

        Assert.NotEmpty(secrets);
        Assert.All(secrets, s =>
        {
            Assert.Null(s.Document["data"]);
            Assert.All(s.Document["stringData"]?.AsObject() ?? [], p => Assert.Equal("", p.Value?.GetValue<string>() ?? ""));
        });
        Assert.DoesNotContain(Cluster.Base, m => m.Kind == "Secret");
    }

    [Fact]
    public void Every_secret_a_pod_mounts_and_the_pubsub_component_reads_is_templated()
    {
        var secrets = Cluster.Secrets.Where(s => s.Kind == "Secret").ToDictionary(s => s.Name);

        foreach (var deployment in Cluster.OfKind("Deployment"))
        {
            foreach (var volume in Cluster.PodSpec(deployment)["volumes"]!.AsArray().Where(v => v!["secret"] is not null))
            {
                Assert.Contains(volume!["secret"]!["secretName"]!.GetValue<string>(), secrets.Keys);
            }
        }

        foreach (var item in Cluster.OfKind("Component").SelectMany(c => c.Document["spec"]!["metadata"]!.AsArray()).Where(i => i!["secretKeyRef"] is not null))
        {
            var reference = item!["secretKeyRef"]!;
            var secret = secrets[reference["name"]!.GetValue<string>()];
            Assert.NotNull(secret.Document["stringData"]![reference["key"]!.GetValue<string>()]);
        }
    }
}
