namespace Songjiang.EventBus;

/// <summary>Dapr sidecar settings (<c>EventBus:Dapr</c>).</summary>
public sealed class DaprOptions
{
    /// <summary>Name of the pub/sub component, as in <c>deploy/dapr/components/pubsub.yaml</c>.</summary>
    public string PubSubName { get; set; } = "pubsub";

    /// <summary>
    /// The sidecar's HTTP endpoint. Unset, it is taken from the <c>DAPR_HTTP_ENDPOINT</c> or <c>DAPR_HTTP_PORT</c>
    /// variables the sidecar injector sets, else <c>http://127.0.0.1:3500</c>.
    /// </summary>
    public Uri? HttpEndpoint { get; set; }

    /// <summary>
    /// The sidecar's gRPC endpoint, which <c>DaprClient</c> publishes through. Unset, it is taken from the
    /// <c>DAPR_GRPC_ENDPOINT</c> or <c>DAPR_GRPC_PORT</c> variables the sidecar injector sets, else <c>http://127.0.0.1:50001</c>.
    /// </summary>
    public Uri? GrpcEndpoint { get; set; }

    /// <summary>Token sent to the sidecar (<c>DAPR_API_TOKEN</c>) when the sidecar requires one.</summary>
    public string? ApiToken { get; set; }

    /// <summary>Token the sidecar must present on deliveries (<c>APP_API_TOKEN</c>); deliveries without it are refused.</summary>
    public string? AppApiToken { get; set; }
}
