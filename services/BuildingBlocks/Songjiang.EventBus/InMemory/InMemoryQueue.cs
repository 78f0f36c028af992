using System.Threading.Channels;

namespace Songjiang.EventBus;

/// <summary>One application's queue for one topic on the <see cref="InMemoryBroker"/>.</summary>
public sealed class InMemoryQueue
{
    private readonly Channel<InMemoryMessage> _messages = Channel.CreateUnbounded<InMemoryMessage>();

    /// <summary>Waits for the next message; competing readers each get different messages.</summary>
    public ValueTask<InMemoryMessage> DequeueAsync(CancellationToken ct) => _messages.Reader.ReadAsync(ct);

    internal void Enqueue(InMemoryMessage message) => _messages.Writer.TryWrite(message);
}

/// <summary>A message on an <see cref="InMemoryQueue"/>: the envelope exactly as a broker would carry it.</summary>
/// <param name="MessageId">The event id.</param>
/// <param name="Body">The CloudEvents JSON envelope.</param>
public sealed record InMemoryMessage(string MessageId, ReadOnlyMemory<byte> Body);
