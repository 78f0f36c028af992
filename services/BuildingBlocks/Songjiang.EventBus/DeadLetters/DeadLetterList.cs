namespace Songjiang.EventBus;

/// <summary>A thread-safe list of dead letters for transports that keep them in process.</summary>
internal sealed class DeadLetterList
{
    private readonly Lock _gate = new();
    private readonly List<DeadLetter> _items = [];

    public void Add(DeadLetter deadLetter)
    {
        lock (_gate)
        {
            _items.Add(deadLetter);
        }
    }

    public IReadOnlyList<DeadLetter> Take(int limit)
    {
        lock (_gate)
        {
            return _items.Take(limit).ToArray();
        }
    }

    public DeadLetter? Remove(string messageId)
    {
        lock (_gate)
        {
            var index = _items.FindIndex(d => d.MessageId == messageId);
            if (index < 0)
            {
                return null;
            }

            var deadLetter = _items[index];
            _items.RemoveAt(index);
            return deadLetter;
        }
    }
}
