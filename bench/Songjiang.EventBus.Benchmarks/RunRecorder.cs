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

/// <param name="Cpu">
/// CPU time from the first publish to the last receipt: of this process (publisher and consumer) and of the whole
/// machine (this process, the broker, the database and anything else running).
/// </param>
public sealed record RunResult(string Name, int Events, TimeSpan Elapsed, double P50Ms, double P99Ms, CpuSample Cpu)
{
    public double Rate => Events / Elapsed.TotalSeconds;

    public double CpuMicrosecondsPerEvent => Cpu.Process.TotalMicroseconds / Events;

    public double MachineCpuMicrosecondsPerEvent => Cpu.Machine.TotalMicroseconds / Events;

    public double DatabaseCpuMicrosecondsPerEvent => Cpu.Database.TotalMicroseconds / Events;

    public double BrokerCpuMicrosecondsPerEvent => Cpu.Broker.TotalMicroseconds / Events;
}

/// <summary>
/// CPU time used so far by this process (all threads), by the database and the broker (every process named
/// <c>postgres</c>, every <c>beam.smp</c>, from <c>/proc/[pid]/stat</c>), and by the whole machine (every core's busy time
/// from <c>/proc/stat</c>: everything but idle and I/O wait). The difference of two samples is the CPU a run cost; the
/// machine's share is what a run costs the broker and the database too, which share the cores.
/// </summary>
/// <remarks>A database backend that exits during a run takes its time with it; the drivers keep their pools open until the sample.</remarks>
public readonly record struct CpuSample(TimeSpan Process, TimeSpan Database, TimeSpan Broker, TimeSpan Machine)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ, 100 on every Linux architecture .NET runs on

    public static CpuSample Take()
    {
        var (database, broker) = ServerTimes();
        return new CpuSample(ProcessTime(), database, broker, MachineBusy());
    }

    /// <summary>This process's CPU time alone, without reading every other process's (for one-thread profiles).</summary>
    public static TimeSpan ProcessTime()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    public static CpuSample operator -(CpuSample after, CpuSample before) =>
        new(after.Process - before.Process, after.Database - before.Database, after.Broker - before.Broker, after.Machine - before.Machine);

    private static TimeSpan MachineBusy()
    {
        if (!File.Exists("/proc/stat"))
        {
            return TimeSpan.Zero;
        }

        // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"; guest time is already in user.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7];
        return TimeSpan.FromSeconds(busy / TicksPerSecond);
    }

    private static (TimeSpan Database, TimeSpan Broker) ServerTimes()
    {
        long database = 0, broker = 0;
        foreach (var directory in Directory.Exists("/proc") ? Directory.EnumerateDirectories("/proc") : [])
        {
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue; // not a process, or one that just ended
            }

            // "pid (comm) state ppid ..."; utime and stime are the 14th and 15th fields, the 12th and 13th after the name.
            var open = stat.IndexOf('(');
            var close = stat.LastIndexOf(')');
            if (open < 0 || close < open)
            {
                continue;
            }

            var name = stat[(open + 1)..close];
            var isDatabase = name == "postgres";
            if (!isDatabase && name != "beam.smp")
            {
                continue;
            }

            var fields = stat[(close + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
            if (isDatabase)
            {
                database += ticks;
            }
            else
            {
                broker += ticks;
            }
        }

        return (TimeSpan.FromSeconds(database / TicksPerSecond), TimeSpan.FromSeconds(broker / TicksPerSecond));
    }
}
