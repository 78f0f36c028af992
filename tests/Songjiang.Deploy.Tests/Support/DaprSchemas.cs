using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Songjiang.Deploy.Tests.Support;

/// <summary>
/// The parts of Dapr's resource schemas the platform uses, strictly: an unknown field is an error, as it is for the
/// Kubernetes API server with the Dapr CRDs installed and for daprd reading a resources folder. Sources: the CRDs
/// (dapr/dapr charts/dapr/crds: components.yaml, resiliency.yaml, configuration.yaml), the resiliency policy reference
/// (https://docs.dapr.io/operations/resiliency/policies/) and the metadata of <c>pubsub.rabbitmq</c>
/// (dapr/components-contrib pubsub/rabbitmq/metadata.yaml).
/// </summary>
public static partial class DaprSchemas
{
    private static readonly Shape Text = new Scalar(_ => true, "a string");
    private static readonly Shape Bool = new Scalar(v => v is "true" or "false", "true or false");
    private static readonly Shape Integer = new Scalar(v => int.TryParse(v, CultureInfo.InvariantCulture, out _), "an integer");
    private static readonly Shape Duration = new Scalar(v => GoDuration().IsMatch(v), "a Go duration such as 500ms or 30s");
    private static readonly Shape Names = new ListOf(Text);

    private static readonly Shape Metadata = new Obj(new() { ["name"] = Text, ["namespace"] = Text, ["labels"] = new MapOf(Text), ["annotations"] = new MapOf(Text) }, ["name"]);

    public static readonly Shape Component = Resource("Component", new Obj(
        new()
        {
            ["type"] = Text,
            ["version"] = Text,
            ["ignoreErrors"] = Bool,
            ["initTimeout"] = Duration,
            ["metadata"] = new ListOf(new Obj(
                new()
                {
                    ["name"] = Text,
                    ["value"] = Text,
                    ["secretKeyRef"] = new Obj(new() { ["name"] = Text, ["key"] = Text }, ["name", "key"]),
                    ["envRef"] = Text,
                },
                ["name"])),
        },
        ["type", "version"]),
        ("auth", new Obj(new() { ["secretStore"] = Text }, ["secretStore"])),
        ("scopes", Names));

    private static readonly Shape PolicyNames = new Obj(new() { ["timeout"] = Text, ["retry"] = Text, ["circuitBreaker"] = Text, ["circuitBreakerCacheSize"] = Integer }, []);

    public static readonly Shape Resiliency = Resource("Resiliency", new Obj(
        new()
        {
            ["policies"] = new Obj(
                new()
                {
                    ["timeouts"] = new MapOf(Duration),
                    ["retries"] = new MapOf(new Obj(
                        new()
                        {
                            ["policy"] = new Scalar(v => v is "constant" or "exponential", "constant or exponential"),
                            ["duration"] = Duration,
                            ["maxInterval"] = Duration,
                            ["maxRetries"] = Integer,
                            ["matching"] = new Obj(new() { ["httpStatusCodes"] = Text, ["gRPCStatusCodes"] = Text }, []),
                        },
                        ["policy"])),
                    ["circuitBreakers"] = new MapOf(new Obj(
                        new() { ["maxRequests"] = Integer, ["interval"] = Duration, ["timeout"] = Duration, ["trip"] = Text },
                        ["trip"])),
                },
                []),
            ["targets"] = new Obj(
                new()
                {
                    ["apps"] = new MapOf(PolicyNames),
                    ["actors"] = new MapOf(PolicyNames),
                    ["components"] = new MapOf(new Obj(new() { ["inbound"] = PolicyNames, ["outbound"] = PolicyNames }, [])),
                },
                []),
        },
        ["policies", "targets"]),
        ("scopes", Names));

    public static readonly Shape Configuration = Resource("Configuration", new Obj(
        new()
        {
            ["tracing"] = new Obj(
                new()
                {
                    ["samplingRate"] = Text,
                    ["stdout"] = Bool,
                    ["otel"] = new Obj(new() { ["endpointAddress"] = Text, ["isSecure"] = Bool, ["protocol"] = new Scalar(v => v is "grpc" or "http", "grpc or http") }, ["endpointAddress"]),
                    ["zipkin"] = new Obj(new() { ["endpointAddress"] = Text }, ["endpointAddress"]),
                },
                []),
            ["metric"] = new Obj(new() { ["enabled"] = Bool }, []),
            ["mtls"] = new Obj(new() { ["enabled"] = Bool, ["workloadCertTTL"] = Duration, ["allowedClockSkew"] = Duration }, []),
            ["features"] = new ListOf(new Obj(new() { ["name"] = Text, ["enabled"] = Bool }, ["name", "enabled"])),
        },
        []));

    /// <summary>
    /// The metadata <c>pubsub.rabbitmq</c> reads: its own fields (metadata.yaml; its type after the name) and the two every
    /// pub/sub component takes from the runtime (<c>consumerID</c>, <c>concurrencyMode</c>).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, Shape> RabbitMqMetadata = new Dictionary<string, Shape>
    {
        ["connectionString"] = Text, ["hostname"] = Text, ["protocol"] = Text, ["username"] = Text, ["password"] = Text,
        ["caCert"] = Text, ["clientCert"] = Text, ["clientKey"] = Text, ["saslExternal"] = Bool,
        ["durable"] = Bool, ["publisherConfirm"] = Bool, ["maxLen"] = Integer, ["maxLenBytes"] = Integer,
        ["enableDeadLetter"] = Bool, ["prefetchCount"] = Integer, ["exchangeKind"] = new Scalar(v => v is "fanout" or "topic", "fanout or topic"),
        ["deliveryMode"] = Integer, ["autoAck"] = Bool, ["deletedWhenUnused"] = Bool, ["requeueInFailure"] = Bool,
        // Read as a duration; a bare number is seconds.
        ["reconnectWaitSeconds"] = new Scalar(v => int.TryParse(v, CultureInfo.InvariantCulture, out _) || GoDuration().IsMatch(v), "seconds or a duration"),
        ["ttlInSeconds"] = Integer, ["clientName"] = Text, ["heartBeat"] = Duration,
        ["consumerID"] = Text, ["concurrencyMode"] = new Scalar(v => v is "single" or "parallel", "single or parallel"),
    };

    public static IReadOnlyList<string> Validate(JsonNode? node, Shape shape)
    {
        var errors = new List<string>();
        Check(node, shape, "", errors);
        return errors;
    }

    private static Shape Resource(string kind, Shape spec, params (string Name, Shape Shape)[] extra)
    {
        var fields = new Dictionary<string, Shape>
        {
            ["apiVersion"] = new Scalar(v => v == "dapr.io/v1alpha1", "dapr.io/v1alpha1"),
            ["kind"] = new Scalar(v => v == kind, kind),
            ["metadata"] = Metadata,
            ["spec"] = spec,
        };
        foreach (var (name, shape) in extra)
        {
            fields[name] = shape;
        }

        return new Obj(fields, ["apiVersion", "kind", "metadata", "spec"]);
    }

    private static void Check(JsonNode? node, Shape shape, string path, List<string> errors)
    {
        switch (shape)
        {
            case Scalar scalar:
                if (node is not JsonValue value || !scalar.Valid(value.GetValue<string>()))
                {
                    errors.Add($"{path}: expected {scalar.What}, found {node?.ToJsonString() ?? "nothing"}");
                }

                break;
            case ListOf list:
                if (node is not JsonArray array)
                {
                    errors.Add($"{path}: expected a list");
                    break;
                }

                for (var i = 0; i < array.Count; i++)
                {
                    Check(array[i], list.Item, $"{path}[{i}]", errors);
                }

                break;
            case MapOf map:
                if (node is not JsonObject entries)
                {
                    errors.Add($"{path}: expected a map");
                    break;
                }

                foreach (var (key, child) in entries)
                {
                    Check(child, map.Value, $"{path}.{key}", errors);
                }

                break;
            case Obj obj:
                if (node is not JsonObject fields)
                {
                    errors.Add($"{path}: expected an object");
                    break;
                }

                foreach (var (key, child) in fields)
                {
                    if (obj.Fields.TryGetValue(key, out var field))
                    {
                        Check(child, field, $"{path}.{key}", errors);
                    }
                    else
                    {
                        errors.Add($"{path}.{key}: unknown field");
                    }
                }

                errors.AddRange(obj.Required.Where(r => !fields.ContainsKey(r)).Select(r => $"{path}.{r}: required"));
                break;
        }
    }

    [GeneratedRegex(@"^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$")]
    private static partial Regex GoDuration();

    public abstract record Shape;

    public sealed record Scalar(Func<string, bool> Valid, string What) : Shape;

    public sealed record ListOf(Shape Item) : Shape;

    public sealed record MapOf(Shape Value) : Shape;

    public sealed record Obj(Dictionary<string, Shape> Fields, string[] Required) : Shape;
}
