using System.Collections.Concurrent;

namespace Songjiang.EventBus.Tests.Support;

/// <summary>Records its effect in the service database; fails or blocks when the test says so.</summary>
public sealed class SampleHandler(TestDbContext db, HandlerScript script) : IIntegrationEventHandler<SampleSubmittedIntegrationEvent>
{
    public async Task Handle(SampleSubmittedIntegrationEvent evt, CancellationToken ct)
    {
        script.Attempts.Enqueue(evt.Id);
        if (Interlocked.Exchange(ref script.Gate, null) is { } gate)
        {
            await gate.Task;
        }

        if (script.ShouldFail(evt))
        {
            throw new InvalidOperationException($"Scripted failure for {evt.Reference}");
        }

        db.Effects.Add(new Effect { EventId = evt.Id.ToString(), Reference = evt.Reference });
        await db.SaveChangesAsync(ct);
        script.Handled.Enqueue(evt.Id);
    }
}

/// <summary>How <see cref="SampleHandler"/> behaves in one application; a singleton per test app.</summary>
public sealed class HandlerScript
{
    public ConcurrentQueue<Guid> Attempts { get; } = new();

    public ConcurrentQueue<Guid> Handled { get; } = new();

    /// <summary>Events whose reference starts with this prefix always fail.</summary>
    public string? FailingPrefix { get; set; }

    /// <summary>When set, the next call waits on it without heeding cancellation: a consumer stuck mid-message.</summary>
#pragma warning disable CA1051 // A field, for Interlocked.Exchange.
    public TaskCompletionSource? Gate;
#pragma warning restore CA1051

    public bool ShouldFail(SampleSubmittedIntegrationEvent evt) =>
        FailingPrefix is { } prefix && evt.Reference.StartsWith(prefix, StringComparison.Ordinal);
}
