using System.Text.Json.Nodes;
using Songjiang.Deploy.Tests.Support;

namespace Songjiang.Deploy.Tests;

/// <summary>What a reviewer checks of each service's Deployment in <c>deploy/k8s/base</c>, read with a YAML parser.</summary>
public sealed class DeploymentTests
{
    public static TheoryData<string> Projects => Repository.ProjectNames();

    [Theory]
    [MemberData(nameof(Projects))]
    public void Every_service_has_a_deployment_and_a_service_on_its_http_port(string name)
    {
        var deployment = Deployment(name);
        var service = Cluster.Find("Service", name) ?? throw Missing("Service", name);

        Assert.Equal(name, deployment.Document["spec"]!["selector"]!["matchLabels"]!["app.kubernetes.io/name"]!.GetValue<string>());
        Assert.Equal(name, service.Document["spec"]!["selector"]!["app.kubernetes.io/name"]!.GetValue<string>());
        var port = Assert.Single(service.Document["spec"]!["ports"]!.AsArray())!;
        Assert.Equal("http", port["targetPort"]!.GetValue<string>());
        Assert.Equal("80", port["port"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void The_dapr_app_id_is_the_services_event_bus_app_id(string name)
    {
        var project = Repository.Project(name);
        var deployment = Deployment(name);
        var annotations = Cluster.PodAnnotations(deployment);
        var settings = Cluster.Settings(deployment);

        Assert.Equal("true", annotations["dapr.io/enabled"]?.GetValue<string>());
        Assert.Equal(Cluster.ContainerPort(deployment, "http").ToString(System.Globalization.CultureInfo.InvariantCulture), annotations["dapr.io/app-port"]?.GetValue<string>());
        Assert.NotNull(Cluster.Find("Configuration", annotations["dapr.io/config"]!.GetValue<string>()));
        var appId = annotations["dapr.io/app-id"]!.GetValue<string>();
        if (project.UsesEventBus)
        {
            Assert.Equal(project.EventBusAppId, appId);
            Assert.Equal(appId, settings["EventBus:AppId"]);
            Assert.Equal("Dapr", settings["EventBus:Transport"]);
            var pubsub = Cluster.OfKind("Component").Single(c => c.Document["spec"]!["type"]!.GetValue<string>() == "pubsub.rabbitmq");
            Assert.Equal(pubsub.Name, settings["EventBus:Dapr:PubSubName"]);
            Assert.Contains(appId, pubsub.Document["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        }
        else
        {
            Assert.Equal(name, appId);
        }
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Probes_ask_the_health_endpoints_on_the_port_the_service_listens_on(string name)
    {
        var deployment = Deployment(name);
        var container = Cluster.Container(deployment);
        var port = Cluster.ContainerPort(deployment, "http");

        Assert.Equal($"http://+:{port}", Cluster.Settings(deployment)["Urls"]);
        Assert.Equal(("/health/live", "http"), Probe(container, "livenessProbe"));
        Assert.Equal(("/health/ready", "http"), Probe(container, "readinessProbe"));
        Assert.Equal(("/health/live", "http"), Probe(container, "startupProbe"));
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Every_setting_the_service_needs_in_production_is_supplied(string name)
    {
        var project = Repository.Project(name);
        var deployment = Deployment(name);
        var settings = Cluster.Settings(deployment);
        var secretKeys = Cluster.Secrets.Where(s => s.Kind == "Secret")
            .SelectMany(s => (s.Document["stringData"]?.AsObject() ?? []).Select(p => $"secret:{s.Name}/{p.Key}"))
            .ToHashSet();

        if (project.Database is { } database)
        {
            Assert.Equal("Postgres", settings["Database:Provider"]);
            Assert.True(settings.TryGetValue($"ConnectionStrings:{database}", out var connection), $"{name} gets ConnectionStrings:{database}");
            Assert.Contains(connection, secretKeys);
        }

        foreach (var dependency in project.Dependencies)
        {
            Assert.Equal($"http://{dependency}", settings[$"Services:{dependency}:http:0"]);
            Assert.NotNull(Cluster.Find("Service", dependency));
        }

        if (project.ValidatesTokens)
        {
            Assert.StartsWith("https://", settings["Authentication:Authority"], StringComparison.Ordinal);
            Assert.Equal("http://identity/.well-known/openid-configuration", settings["Authentication:MetadataAddress"]);
        }

        if (name is "identity" or "licenses" or "exchange")
        {
            Assert.Equal("secret:key-encryption/KeyEncryption__Key", settings["KeyEncryption:Key"]);
        }

        if (name is "cases" or "licenses" or "policyradar" or "exchange" or "enterprises")
        {
            Assert.Equal("secret:service-account/ServiceAccount__ClientSecret", settings["ServiceAccount:ClientSecret"]);
        }

        foreach (var (key, value) in settings.Where(s => s.Value.StartsWith("secret:", StringComparison.Ordinal)))
        {
            Assert.True(secretKeys.Contains(value), $"{key} of {name} comes from {value}, which the secret templates define");
        }
    }

    [Fact]
    public void The_identity_service_issues_tokens_for_the_public_address_with_keys_from_a_secret()
    {
        var deployment = Deployment("identity");
        var settings = Cluster.Settings(deployment);

        Assert.Equal(settings["Authentication:Authority"], settings["Identity:Issuer"]);
        Assert.Equal("false", settings["Identity:DemoProfile"]);
        Assert.Equal("true", settings["Identity:RequireHttps"]);
        Assert.Equal("secret:identity-keys", Cluster.Mounts(deployment)[settings["Identity:KeysDirectory"]]);
    }

    [Fact]
    public void The_exchange_signs_and_seals_with_secrets_and_names_its_keys_and_partners_in_settings()
    {
        var settings = Cluster.Settings(Deployment("exchange"));

        Assert.Matches("^[0-9]{6}$", settings["Exchange:CityCode"]);
        Assert.NotEmpty(settings["Exchange:OwnKey:KeyId"]);
        Assert.Equal("secret:exchange-keys/Exchange__OwnKey__Secret", settings["Exchange:OwnKey:Secret"]);
        Assert.Equal("secret:exchange-keys/Exchange__PlatformKeyPem", settings["Exchange:PlatformKeyPem"]);
        var partnerKeys = settings.Keys.Where(k => k.StartsWith("Exchange:Partners:", StringComparison.Ordinal) && k.EndsWith(":KeyId", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(partnerKeys);
        foreach (var keyId in partnerKeys)
        {
            var secret = keyId[..^"KeyId".Length] + "Secret";
            Assert.Equal($"secret:exchange-keys/{secret.Replace(":", "__", StringComparison.Ordinal)}", settings[secret]);
        }

        Assert.DoesNotContain(settings, s => s.Key.EndsWith(":Secret", StringComparison.Ordinal) && !s.Value.StartsWith("secret:", StringComparison.Ordinal));
    }

    [Fact]
    public void The_portal_keeps_its_sessions_in_its_database_and_calls_the_platform_through_the_gateway()
    {
        var settings = Cluster.Settings(Deployment("portal"));

        Assert.Equal("secret:songjiang-database/ConnectionStrings__portal", settings["ConnectionStrings:portal"]);
        Assert.Equal("http://gateway", settings["Portal:GatewayUrl"]);
        Assert.Equal("http://gateway/.well-known/openid-configuration", settings["Portal:MetadataAddress"]);
        Assert.Equal("http://portal", Cluster.Settings(Deployment("gateway"))["Services:portal:http:0"]);
    }

    [Fact]
    public void Licences_are_sealed_with_keys_from_a_secret_and_uploaded_materials_live_on_a_shared_volume()
    {
        var licenses = Deployment("licenses");
        var licenseSettings = Cluster.Settings(licenses);
        Assert.Equal("PemFiles", licenseSettings["Licenses:KeyMode"]);
        Assert.Equal("secret:licenses-seal-keys", Cluster.Mounts(licenses)[licenseSettings["Licenses:KeysDirectory"]]);

        var cases = Deployment("cases");
        var claim = Cluster.Mounts(cases)[Cluster.Settings(cases)["Cases:Materials:Directory"]];
        Assert.StartsWith("pvc:", claim, StringComparison.Ordinal);
        var volume = Cluster.Find("PersistentVolumeClaim", claim["pvc:".Length..])!;
        Assert.Contains("ReadWriteMany", volume.Document["spec"]!["accessModes"]!.AsArray().Select(m => m!.GetValue<string>()));
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Containers_run_as_non_root_with_resources_and_a_read_only_root(string name)
    {
        var deployment = Deployment(name);
        var pod = Cluster.PodSpec(deployment);
        var container = Cluster.Container(deployment);

        Assert.Equal("true", pod["securityContext"]!["runAsNonRoot"]!.GetValue<string>());
        Assert.NotEqual("0", pod["securityContext"]!["runAsUser"]!.GetValue<string>());
        Assert.Equal("false", container["securityContext"]!["allowPrivilegeEscalation"]!.GetValue<string>());
        Assert.Equal("true", container["securityContext"]!["readOnlyRootFilesystem"]!.GetValue<string>());
        Assert.Contains("ALL", container["securityContext"]!["capabilities"]!["drop"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("emptyDir", Cluster.Mounts(deployment)["/tmp"]);
        foreach (var bound in new[] { "requests", "limits" })
        {
            Assert.NotNull(container["resources"]![bound]!["cpu"]);
            Assert.NotNull(container["resources"]![bound]!["memory"]);
        }
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Every_image_is_built_by_a_multi_stage_non_root_dockerfile_with_a_health_check(string name)
    {
        var project = Repository.Project(name);
        var image = Cluster.Container(Deployment(name))["image"]!.GetValue<string>();
        Assert.Equal($"songjiang/{name}", image.Split(':')[0]);

        Assert.True(File.Exists(project.Dockerfile), $"{image} is built by {project.Dockerfile}");
        var lines = File.ReadAllLines(project.Dockerfile).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var stages = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, stages.Count);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/sdk:10.0 ", stages[0], StringComparison.Ordinal);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet:10.0 ", stages[1], StringComparison.Ordinal);
        var runtime = lines.SkipWhile(l => l != stages[1]).ToList();
        Assert.Contains("USER $APP_UID", runtime);
        Assert.Contains(runtime, l => l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal));
        Assert.Contains(runtime, l => l.Contains("/health/live", StringComparison.Ordinal));
        Assert.Contains("EXPOSE 8080", runtime);
        var csproj = Path.GetRelativePath(Repository.Root, Directory.GetFiles(project.Directory, "*.csproj").Single()).Replace('\\', '/');
        Assert.Contains(lines, l => l.StartsWith("RUN dotnet publish " + csproj, StringComparison.Ordinal));
        Assert.Contains(runtime, l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal) && l.Contains(Path.GetFileNameWithoutExtension(csproj) + ".dll", StringComparison.Ordinal));
    }

    [Fact]
    public void The_gateway_is_reached_through_an_ingress_with_tls()
    {
        var ingress = Assert.Single(Cluster.OfKind("Ingress"));
        var backend = ingress.Document["spec"]!["rules"]![0]!["http"]!["paths"]![0]!["backend"]!["service"]!;

        Assert.Equal("gateway", backend["name"]!.GetValue<string>());
        Assert.Equal("http", backend["port"]!["name"]!.GetValue<string>());
        Assert.NotNull(ingress.Document["spec"]!["tls"]![0]!["secretName"]);
    }

    private static Manifest Deployment(string name) => Cluster.Find("Deployment", name) ?? throw Missing("Deployment", name);

    private static Xunit.Sdk.XunitException Missing(string kind, string name) =>
        new($"deploy/k8s/base has no {kind} '{name}': add deploy/k8s/base/services/{name}.yaml and list it in the base kustomization (docs/deploy.md, \"Adding a service\").");

    private static (string Path, string Port) Probe(JsonObject container, string probe) =>
        (container[probe]!["httpGet"]!["path"]!.GetValue<string>(), container[probe]!["httpGet"]!["port"]!.GetValue<string>());
}
