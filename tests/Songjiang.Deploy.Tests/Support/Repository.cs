using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Songjiang.Deploy.Tests.Support;

/// <summary>The repository the tests run in: its deployment manifests and the services they deploy.</summary>
public static partial class Repository
{
    public static string Root { get; } = FindRoot();

    public static string K8s => Path.Combine(Root, "deploy", "k8s");

    /// <summary>Every service project (services/*/Songjiang.*.Api), the portal and the gateway, as the cluster names them.</summary>
    public static IReadOnlyList<DeployedProject> Projects { get; } = FindProjects();

    public static TheoryData<string> ProjectNames() => new(Projects.Select(p => p.Name));

    public static DeployedProject Project(string name) => Projects.Single(p => p.Name == name);

    /// <summary>Every YAML document of a file, as JSON (scalars as strings), so tests query it like any other document.</summary>
    public static IReadOnlyList<JsonObject> ReadYaml(string path)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            stream.Load(reader);
        }

        return stream.Documents
            .Where(d => d.RootNode is YamlMappingNode { Children.Count: > 0 })
            .Select(d => (JsonObject)ToJson(d.RootNode)!)
            .ToList();
    }

    /// <summary>The resources a kustomization builds from, with the files its <c>resources</c> name, recursively.</summary>
    public static IReadOnlyList<Manifest> Kustomize(string directory)
    {
        var kustomization = ReadYaml(Path.Combine(directory, "kustomization.yaml")).Single();
        var manifests = new List<Manifest>();
        foreach (var resource in kustomization["resources"]!.AsArray().Select(r => r!.GetValue<string>()))
        {
            var path = Path.GetFullPath(Path.Combine(directory, resource));
            if (Directory.Exists(path))
            {
                manifests.AddRange(Kustomize(path));
            }
            else
            {
                manifests.AddRange(ReadYaml(path).Select(doc => new Manifest(path, doc)));
            }
        }

        return manifests;
    }

    public static JsonObject Kustomization(string directory) => ReadYaml(Path.Combine(directory, "kustomization.yaml")).Single();

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Value: null or "" or "~" or "null", Style: YamlDotNet.Core.ScalarStyle.Plain } => null,
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new InvalidOperationException($"Unexpected YAML node {node.NodeType}."),
    };

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Songjiang.Platform.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Songjiang.Platform.sln) is not above the test's folder.");
    }

    private static List<DeployedProject> FindProjects()
    {
        var projects = Directory.GetDirectories(Path.Combine(Root, "services"))
            .Where(d => Path.GetFileName(d) != "BuildingBlocks")
            .SelectMany(d => Directory.GetDirectories(d, "Songjiang.*.Api"))
            .Select(d => Describe(d, Path.GetFileName(d)["Songjiang.".Length..^".Api".Length].ToLowerInvariant()))
            .ToList();
        projects.Add(Describe(Path.Combine(Root, "services", "Portal", "Songjiang.Portal"), "portal"));
        projects.Add(Describe(Path.Combine(Root, "gateway", "Songjiang.Gateway"), "gateway"));
        return projects.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
    }

    private static DeployedProject Describe(string directory, string name)
    {
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "appsettings.json")))!.AsObject();
        var sources = Directory.GetFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText)
            .ToList();
        var database = sources.Select(s => DatabaseName().Match(s)).FirstOrDefault(m => m.Success)?.Groups[1].Value;
        return new DeployedProject(name, directory, settings, database, sources.Any(s => s.Contains(".AddEventBus()", StringComparison.Ordinal)));
    }

    [GeneratedRegex("""AddServiceDatabase<\w+>\("([a-z0-9-]+)"\)""")]
    private static partial Regex DatabaseName();
}

/// <summary>A deployable project: its cluster name, folder, appsettings.json, database connection name and whether it uses the event bus.</summary>
public sealed record DeployedProject(string Name, string Directory, JsonObject Settings, string? Database, bool UsesEventBus)
{
    public string? EventBusAppId => Settings["EventBus"]?["AppId"]?.GetValue<string>();

    /// <summary>The logical services it calls (<c>Services:&lt;name&gt;</c> in its settings).</summary>
    public IReadOnlyList<string> Dependencies => Settings["Services"]?.AsObject().Select(p => p.Key).ToList() ?? [];

    public bool ValidatesTokens => Settings["Authentication"] is not null;

    public string Dockerfile => Path.Combine(Directory, "Dockerfile");
}

/// <summary>One Kubernetes object and the file it came from.</summary>
public sealed record Manifest(string File, JsonObject Document)
{
    public string Kind => Document["kind"]!.GetValue<string>();

    public string Name => Document["metadata"]!["name"]!.GetValue<string>();

    public override string ToString() => $"{Kind}/{Name} ({Path.GetFileName(File)})";
}
