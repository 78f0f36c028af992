namespace Songjiang.Testing;

/// <summary>
/// The platform's time abstraction for tests that move time: real time that keeps running (so timers, relays and
/// delays behave), shifted by an offset a test sets, e.g. to let working days pass.
/// </summary>
public sealed class MovableClock : TimeProvider
{
    private long _offsetTicks;

    /// <summary>A clock that reads <paramref name="now"/> at construction and runs on from there.</summary>
    public MovableClock(DateTimeOffset now) => MoveTo(now);

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    /// <summary>Sets the clock to <paramref name="instant"/>; it runs on from there.</summary>
    public void MoveTo(DateTimeOffset instant) => Interlocked.Exchange(ref _offsetTicks, (instant - TimeProvider.System.GetUtcNow()).Ticks);
}
