namespace Songjiang.EventBus;

/// <summary>
/// Dead letters the sidecar forwarded to this app. Replay hands the event to this app's handlers once, in process,
/// because republishing to the topic would reach every other subscriber too; if it fails again it is kept again.
/// </summary>
internal sealed class DaprDeadLetterStore(DeadLetterList deadLetters, EventDispatcher dispatcher, TimeProvider time) : IDeadLetterStore
{
    public Task<IReadOnlyList<DeadLetter>> ListAsync(int limit, CancellationToken ct) => Task.FromResult(deadLetters.Take(limit));

    public async Task<bool> ReplayAsync(string messageId, CancellationToken ct)
    {
        if (deadLetters.Remove(messageId) is not { } deadLetter)
        {
            return false;
        }

        try
        {
            var envelope = CloudEventFormat.Parse(System.Text.Encoding.UTF8.GetBytes(deadLetter.Envelope));
            await dispatcher.DispatchAsync(deadLetter.Topic, envelope, ct);
        }
        catch (Exception ex)
        {
            deadLetters.Add(deadLetter with { DeadLetteredAt = time.GetUtcNow(), Reason = $"replay failed: {ex.GetType().Name}: {ex.Message}" });
        }

        return true;
    }
}
