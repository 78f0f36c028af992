using System.Diagnostics;
using System.Text.Json;

namespace Songjiang.EventBus.Tests.Support;

/// <summary>One transport under test: how apps are configured for it and how to look at what it carries.</summary>
public abstract class TransportFixture : IAsyncLifetime
{
    /// <summary>Retries the transport makes before dead-lettering (the bus's for in-process and RabbitMQ, the sidecar's for Dapr).</summary>
    public const int MaxRetries = 2;

    public abstract IEnumerable<KeyValuePair<string, string?>> Settings();

    public virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public virtual Task OnStartedAsync(TestApp app) => Task.CompletedTask;

    /// <summary>Skips the test when the transport's server is not available.</summary>
    public virtual void RequireServer()
    {
    }

    /// <summary>
    /// The span a transport itself puts between the publisher's span and the consumer's (a Dapr sidecar's), if any;
    /// the consumer's span is then its child.
    /// </summary>
    public virtual ActivitySpanId? HopAfter(ActivitySpanId publisherSpan) => null;

    /// <summary>Returns the envelope of the first message on <paramref name="topic"/> after <paramref name="publish"/>, as carried on the wire.</summary>
    public abstract Task<JsonElement> CaptureEnvelopeAsync(string topic, Func<Task> publish);

    public virtual ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
