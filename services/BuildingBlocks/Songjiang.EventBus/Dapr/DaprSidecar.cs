using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Songjiang.EventBus;

/// <summary>Where the sidecar is and how to authenticate to it, from options or the variables the Dapr injector sets.</summary>
internal static class DaprSidecar
{
    public const string ApiTokenHeader = "dapr-api-token";
    public const string DeliveryRoutePrefix = "/eventbus/dapr/";
    public const string DeadLetterRoutePrefix = "/eventbus/dapr/dead-letters/";

    /// <summary>Dead letters go to a topic of their own per application, so each app sees only its own.</summary>
    public static string DeadLetterTopic(string appId, string topic) => $"dead-letters.{appId}.{topic}";

    public static void ApplyEnvironment(DaprOptions options, IConfiguration configuration)
    {
        options.HttpEndpoint ??= configuration["DAPR_HTTP_ENDPOINT"] is { Length: > 0 } endpoint
            ? new Uri(endpoint)
            : new Uri($"http://127.0.0.1:{configuration["DAPR_HTTP_PORT"] ?? "3500"}");
        options.GrpcEndpoint ??= configuration["DAPR_GRPC_ENDPOINT"] is { Length: > 0 } grpc
            ? new Uri(grpc)
            : new Uri($"http://127.0.0.1:{configuration["DAPR_GRPC_PORT"] ?? "50001"}");
        options.ApiToken ??= configuration["DAPR_API_TOKEN"];
        options.AppApiToken ??= configuration["APP_API_TOKEN"];
    }
}

/// <summary>Configures the sidecar client; kept out of <see cref="DaprSidecar"/> because it needs DI.</summary>
internal sealed class DaprOptionsSetup(IConfiguration configuration) : IPostConfigureOptions<EventBusOptions>
{
    public void PostConfigure(string? name, EventBusOptions options) => DaprSidecar.ApplyEnvironment(options.Dapr, configuration);
}
