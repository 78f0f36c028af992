namespace Songjiang.EventBus;

/// <summary>The dead letters of this application, whatever the transport keeps them in.</summary>
public interface IDeadLetterStore
{
    /// <summary>Lists up to <paramref name="limit"/> dead letters, oldest first where the transport keeps an order.</summary>
    Task<IReadOnlyList<DeadLetter>> ListAsync(int limit, CancellationToken ct);

    /// <summary>
    /// Delivers the dead letter again to this application only (other subscribers are not affected) and removes it
    /// from the dead letters. If the handler fails again it is retried and dead-lettered again as usual.
    /// </summary>
    /// <returns>False when no dead letter has that id.</returns>
    Task<bool> ReplayAsync(string messageId, CancellationToken ct);
}
