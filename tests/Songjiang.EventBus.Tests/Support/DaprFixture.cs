using System.Diagnostics;
using System.Text.Json;

namespace Songjiang.EventBus.Tests.Support;

/// <summary>The Dapr transport against <see cref="DaprSidecarDouble"/>; the Dapr runtime cannot be installed here.</summary>
public sealed class DaprFixture : TransportFixture
{
    public DaprSidecarDouble Sidecar { get; } = new(MaxRetries);

    public override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("EventBus:Transport", "Dapr"),
        new("EventBus:Dapr:HttpEndpoint", Sidecar.HttpAddress.ToString()),
        new("EventBus:Dapr:GrpcEndpoint", Sidecar.GrpcAddress.ToString()),
    ];

    public override Task OnStartedAsync(TestApp app) => Sidecar.RegisterAppAsync(app.Address);

    /// <summary>The sidecar's span between the publisher's and the consumer's.</summary>
    public override ActivitySpanId? HopAfter(ActivitySpanId publisherSpan) =>
        Sidecar.SidecarSpans.FirstOrDefault(s => s.Value == publisherSpan).Key is var span && span != default ? span : null;

    public override async Task<JsonElement> CaptureEnvelopeAsync(string topic, Func<Task> publish)
    {
        var before = Sidecar.Published.Count;
        await publish();
        return Sidecar.Published.Skip(before).First(p => p.Topic == topic).Envelope;
    }

    public override async ValueTask InitializeAsync() => await Sidecar.StartAsync();

    public override async ValueTask DisposeAsync()
    {
        await Sidecar.DisposeAsync();
        await base.DisposeAsync();
    }
}
