namespace Songjiang.EventBus.Tests.Support;

/// <summary>Reading an in-process probe queue the way the outbox tests do: one message in time, or none for a while.</summary>
public static class ProbeQueue
{
    public static async Task<InMemoryMessage> ReceiveAsync(InMemoryQueue probe, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        return await probe.DequeueAsync(timeout.Token);
    }

    public static async Task AssertNothingArrivesAsync(InMemoryQueue probe, TimeSpan during)
    {
        using var none = new CancellationTokenSource(during);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await probe.DequeueAsync(none.Token));
    }
}
