using System.Buffers;

namespace Songjiang.EventBus;

/// <summary>
/// An envelope in an array rented from <see cref="ArrayPool{T}.Shared"/>. Dispose it exactly once, after the transport
/// has finished with <see cref="Memory"/> (a RabbitMQ publish copies the body into its frame before it completes).
/// </summary>
internal readonly struct RentedEnvelope : IDisposable
{
    private readonly byte[] _buffer;
    private readonly int _length;

    public RentedEnvelope(byte[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;
    }

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, _length);

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, _length);

    public void Dispose()
    {
        if (_buffer is { Length: > 0 })
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
    }
}

/// <summary>An <see cref="IBufferWriter{T}"/> over pooled arrays whose result is handed over as a <see cref="RentedEnvelope"/>.</summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>
{
    private const int MinimumSize = 2048;
    private byte[] _buffer = [];
    private int _written;

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Hands the written bytes over to the caller and starts empty.</summary>
    public RentedEnvelope Detach()
    {
        var envelope = new RentedEnvelope(_buffer, _written);
        _buffer = [];
        _written = 0;
        return envelope;
    }

    /// <summary>Drops what was written (after a failed write) and returns the array to the pool.</summary>
    public void Release() => Detach().Dispose();

    private void Ensure(int sizeHint)
    {
        if (_buffer.Length - _written >= Math.Max(sizeHint, 1))
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_written + Math.Max(sizeHint, MinimumSize), _buffer.Length * 2));
        _buffer.AsSpan(0, _written).CopyTo(larger);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = larger;
    }
}
