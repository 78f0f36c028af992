using System.Text.Json;

namespace Songjiang.EventBus.Tests.Support;

public sealed class InMemoryFixture : TransportFixture
{
    /// <summary>A broker of its own, so these tests do not share the process-wide one with other test classes.</summary>
    public InMemoryBroker Broker { get; } = new();

    public override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [new("EventBus:Transport", "InMemory")];

    public override void ConfigureServices(IServiceCollection services) => services.AddSingleton(Broker);

    public override async Task<JsonElement> CaptureEnvelopeAsync(string topic, Func<Task> publish)
    {
        var probe = Broker.Bind($"probe-{Guid.NewGuid():N}", topic);
        await publish();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var message = await probe.DequeueAsync(timeout.Token);
        return JsonDocument.Parse(message.Body).RootElement.Clone();
    }
}
