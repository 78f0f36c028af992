using System.Diagnostics;

namespace Songjiang.EventBus.Benchmarks;

/// <summary>Counts received messages of one run and their end-to-end latencies; completes when all arrived.</summary>
public sealed class RunRecorder(int expected)
{
    private readonly double[] _latenciesMs = new double[expected];
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _received;

    public Task Done => _done.Task;

    public void Record(long sentAt)
    {
        var index = Interlocked.Increment(ref _received) - 1;
        if (index >= expected)
        {
            return;
        }

        _latenciesMs[index] = Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds;
        if (index == expected - 1)
        {
            _done.TrySetResult();
        }
    }

    public double Percentile(double p)
    {
        var sorted = _latenciesMs.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}

/// <param name="Cpu">CPU time of this process (publisher and consumer, not the broker) from the first publish to the last receipt.</param>
public sealed record RunResult(string Name, int Events, TimeSpan Elapsed, double P50Ms, double P99Ms, TimeSpan Cpu)
{
    public double Rate => Events / Elapsed.TotalSeconds;

    public double CpuMicrosecondsPerEvent => Cpu.TotalMicroseconds / Events;
}

/// <summary>The CPU time this process has used so far, all threads.</summary>
public static class ProcessCpu
{
    public static TimeSpan Now()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}
