using System.Text.Json.Nodes;

namespace Songjiang.Deploy.Tests.Support;

/// <summary>The base manifests, the secret templates, and the settings each Deployment's container ends up with.</summary>
public static class Cluster
{
    public static IReadOnlyList<Manifest> Base { get; } = Repository.Kustomize(Path.Combine(Repository.K8s, "base"));

    public static IReadOnlyList<Manifest> Secrets { get; } = Repository.Kustomize(Path.Combine(Repository.K8s, "secrets"));

    public static IEnumerable<Manifest> OfKind(string kind) => Base.Where(m => m.Kind == kind);

    public static Manifest? Find(string kind, string name) => Base.SingleOrDefault(m => m.Kind == kind && m.Name == name);

    public static JsonObject PodSpec(Manifest deployment) => deployment.Document["spec"]!["template"]!["spec"]!.AsObject();

    public static JsonObject PodAnnotations(Manifest deployment) =>
        deployment.Document["spec"]!["template"]!["metadata"]!["annotations"]?.AsObject() ?? [];

    public static JsonObject Container(Manifest deployment) => PodSpec(deployment)["containers"]!.AsArray().Single()!.AsObject();

    public static int ContainerPort(Manifest deployment, string name) =>
        int.Parse(Container(deployment)["ports"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == name)!["containerPort"]!.GetValue<string>(),
            System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The container's configuration as the service reads it (keys with ":"), from its ConfigMaps (<c>envFrom</c>) and its
    /// <c>env</c>; a value taken from a Secret reads <c>secret:{name}/{key}</c>.
    /// </summary>
    public static Dictionary<string, string> Settings(Manifest deployment)
    {
        var container = Container(deployment);
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var source in container["envFrom"]?.AsArray() ?? [])
        {
            var name = source!["configMapRef"]!["name"]!.GetValue<string>();
            var configMap = Find("ConfigMap", name) ?? throw new Xunit.Sdk.XunitException($"{deployment} reads ConfigMap {name}, which is not in the base.");
            foreach (var (key, value) in configMap.Document["data"]?.AsObject() ?? [])
            {
                settings[ToConfigurationKey(key)] = value!.GetValue<string>();
            }
        }

        foreach (var variable in container["env"]?.AsArray() ?? [])
        {
            var key = ToConfigurationKey(variable!["name"]!.GetValue<string>());
            settings[key] = variable["valueFrom"]?["secretKeyRef"] is { } secret
                ? $"secret:{secret["name"]!.GetValue<string>()}/{secret["key"]!.GetValue<string>()}"
                : variable["value"]!.GetValue<string>();
        }

        return settings;
    }

    /// <summary>Where each volume is mounted in the container, by the volume's source (Secret, PVC or emptyDir).</summary>
    public static Dictionary<string, string> Mounts(Manifest deployment)
    {
        var volumes = PodSpec(deployment)["volumes"]!.AsArray().ToDictionary(v => v!["name"]!.GetValue<string>(), v => v!.AsObject());
        return Container(deployment)["volumeMounts"]!.AsArray().ToDictionary(
            m => m!["mountPath"]!.GetValue<string>(),
            m =>
            {
                var volume = volumes[m!["name"]!.GetValue<string>()];
                return volume["secret"] is { } secret ? $"secret:{secret["secretName"]}"
                    : volume["persistentVolumeClaim"] is { } claim ? $"pvc:{claim["claimName"]}"
                    : "emptyDir";
            });
    }

    private static string ToConfigurationKey(string variable) => variable.Replace("__", ":", StringComparison.Ordinal);
}
