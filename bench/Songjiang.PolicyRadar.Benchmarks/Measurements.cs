namespace Songjiang.PolicyRadar.Benchmarks;

/// <summary>Memory figures in MB, and the process's processor time.</summary>
internal static class Memory
{
    public static long Managed() => GC.GetTotalMemory(forceFullCollection: true) / (1024 * 1024);

    public static long WorkingSet() => Environment.WorkingSet / (1024 * 1024);

    public static TimeSpan ProcessorTime() => System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;

    public static long PeakWorkingSet() => System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024);
}

/// <summary>Collections and pause time over a timed section.</summary>
internal readonly record struct GcSnapshot(int Gen0, int Gen1, int Gen2, TimeSpan Paused)
{
    public static GcSnapshot Take() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());

    public GcSnapshot Since()
    {
        var now = Take();
        return new(now.Gen0 - Gen0, now.Gen1 - Gen1, now.Gen2 - Gen2, now.Paused - Paused);
    }

    public override string ToString() => $"{Gen0} gen0 / {Gen1} gen1 / {Gen2} gen2 collections, {Paused.TotalMilliseconds:F0} ms paused";
}
