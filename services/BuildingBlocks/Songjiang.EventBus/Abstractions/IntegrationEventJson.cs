using System.Text.Json;

namespace Songjiang.EventBus;

/// <summary>
/// The JSON options every transport writes and reads event payloads with (the <c>data</c> of the CloudEvent):
/// camelCase web defaults, enums as names. For contract tests that hold a publisher's record against a consumer's copy.
/// </summary>
public static class IntegrationEventJson
{
    /// <summary>The options (read-only).</summary>
    public static JsonSerializerOptions Options => CloudEventFormat.DataOptions;
}
