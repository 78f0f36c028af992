using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Songjiang.EventBus;

/// <summary>One application's queue for one topic on the <see cref="InMemoryBroker"/>.</summary>
public sealed class InMemoryQueue
{
    private readonly Channel<InMemoryMessage> _messages = Channel.CreateUnbounded<InMemoryMessage>();

    // Messages queued while a consumer service attended the queue, until that consumer handled or dead-lettered them.
    private readonly ConcurrentDictionary<InMemoryMessage, byte> _unacknowledged = new(ReferenceEqualityComparer.Instance);
    private readonly Lock _attendance = new();
    private int _consumers;

    /// <summary>Waits for the next message; competing readers each get different messages.</summary>
    public ValueTask<InMemoryMessage> DequeueAsync(CancellationToken ct) => _messages.Reader.ReadAsync(ct);

    /// <summary>Whether a consumer service reads this queue and acknowledges what it handled.</summary>
    internal bool Attended => Volatile.Read(ref _consumers) > 0;

    internal void Enqueue(InMemoryMessage message) => _messages.Writer.TryWrite(message);

    /// <summary>
    /// Queues a message whose publisher waits for <paramref name="handling"/>: if a consumer service attends the
    /// queue, the handling waits for its acknowledgement; a queue nobody attends (a probe) holds the message without one.
    /// </summary>
    internal void Enqueue(InMemoryMessage message, InMemoryHandling handling)
    {
        lock (_attendance)
        {
            if (_consumers > 0)
            {
                var tracked = message with { Handling = handling };
                handling.Expect();
                _unacknowledged.TryAdd(tracked, 0);
                _messages.Writer.TryWrite(tracked);
                return;
            }
        }

        _messages.Writer.TryWrite(message);
    }

    /// <summary>Puts back a message a stopping consumer had taken but not handled; it stays unacknowledged.</summary>
    internal void Requeue(InMemoryMessage message) => _messages.Writer.TryWrite(message);

    /// <summary>The consumer handled (or dead-lettered) <paramref name="message"/>.</summary>
    internal void Acknowledge(InMemoryMessage message)
    {
        if (_unacknowledged.TryRemove(message, out _))
        {
            message.Handling?.Handled();
        }
    }

    internal void Attach()
    {
        lock (_attendance)
        {
            _consumers++;
        }
    }

    /// <summary>
    /// A consumer service stopped. When it was the last, publishers waiting for messages it had not handled are told
    /// so (their outbox rows stay pending and are published again); the messages stay queued for a later consumer.
    /// </summary>
    internal void Detach()
    {
        lock (_attendance)
        {
            if (--_consumers > 0)
            {
                return;
            }
        }

        foreach (var message in _unacknowledged.Keys)
        {
            if (_unacknowledged.TryRemove(message, out _))
            {
                message.Handling?.Abandoned();
            }
        }
    }
}

/// <summary>A message on an <see cref="InMemoryQueue"/>: the envelope exactly as a broker would carry it.</summary>
/// <param name="MessageId">The event id.</param>
/// <param name="Body">The CloudEvents JSON envelope.</param>
public sealed record InMemoryMessage(string MessageId, ReadOnlyMemory<byte> Body)
{
    /// <summary>The publisher's wait for every attended queue to handle the message, if it waits.</summary>
    internal InMemoryHandling? Handling { get; init; }
}

/// <summary>
/// One published message's progress through the attended queues it was fanned out to: completes when every one of
/// them handled or dead-lettered it, fails when a queue's last consumer stopped first.
/// </summary>
internal sealed class InMemoryHandling
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // One extra count held by the publisher until the fan-out is complete, so an early acknowledgement cannot finish it.
    private int _pending = 1;

    public Task Completion => _done.Task;

    public void Expect() => Interlocked.Increment(ref _pending);

    public void Handled()
    {
        if (Interlocked.Decrement(ref _pending) == 0)
        {
            _done.TrySetResult();
        }
    }

    public void Abandoned() =>
        _done.TrySetException(new InvalidOperationException("A consumer stopped before it handled the event; it stays in the outbox."));
}
